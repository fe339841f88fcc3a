/** The priority of a task, with its French labels (both task forms use it). */
import { useTranslation } from 'react-i18next';
import { TASK_PRIORITIES, type TaskPriority } from '../../../shared/domain/task';
import { SelectField } from '../../components/Field';

export function PrioritySelect({ value, onChange }: { value: TaskPriority; onChange: (p: TaskPriority) => void }) {
  const { t } = useTranslation();
  return (
    <SelectField label={t('tasks.fields.priority')} value={value} onChange={(e) => onChange(e.target.value as TaskPriority)}>
      {TASK_PRIORITIES.map((p) => (
        <option key={p} value={p}>
          {t(`tasks.priority.${p}`)}
        </option>
      ))}
    </SelectField>
  );
}
