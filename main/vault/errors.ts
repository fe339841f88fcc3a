/** The error every check of an input file throws, so the person at the desk knows which file is wrong and why. */
import { AppError } from '../../shared/domain/errors';

/** The VALIDATION error for input `name`; `what` is a French phrase saying what is wrong. */
export function invalidInput(name: string, what: string): AppError {
  return new AppError('VALIDATION', `« ${name} » : ${what}`, { field: 'file', file: name });
}
