/** A labelled select of roles (id → name). */
import type { ComponentProps } from 'react';
import { SelectField } from './Field';

interface Props extends Omit<ComponentProps<typeof SelectField>, 'children' | 'onChange'> {
  roles: readonly { id: string; name: string }[];
  onChange(roleId: string): void;
}

export function RoleSelect({ roles, onChange, ...field }: Props) {
  return (
    <SelectField {...field} onChange={(e) => onChange(e.target.value)}>
      {roles.map((r) => (
        <option key={r.id} value={r.id}>
          {r.name}
        </option>
      ))}
    </SelectField>
  );
}
