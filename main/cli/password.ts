/**
 * Reads a secret from the environment, else from the terminal without echo.
 * Throws CliFailure when neither is available (no TTY and no variable), so scripts fail clearly instead of hanging.
 */
import { CliFailure } from './errors';

/** The secret in `envName` if set and not empty, else null (never prompts). */
function fromEnvironment(envName: string): string | null {
  const v = process.env[envName];
  return v !== undefined && v !== '' ? v : null;
}

/**
 * A secret from `envName`, else typed at the terminal without echo after `prompt`. `what` names it in the failure
 * message ("Mot de passe", "Code de secours"). Throws CliFailure with no variable and no terminal.
 */
export async function readSecret(envName: string, prompt: string, what = 'Mot de passe'): Promise<string> {
  const fromEnv = fromEnvironment(envName);
  if (fromEnv !== null) return fromEnv;
  return prompted(envName, prompt, what);
}

/**
 * A new password (a new account, a reset): from `envName`, else typed twice at the terminal without echo.
 * Throws CliFailure when the two typings differ, or with no variable and no terminal.
 */
export async function readNewPassword(envName: string, prompt: string): Promise<string> {
  const fromEnv = fromEnvironment(envName);
  if (fromEnv !== null) return fromEnv;
  const first = await prompted(envName, prompt, 'Nouveau mot de passe');
  const again = await prompted(envName, 'Retapez-le : ', 'Nouveau mot de passe');
  if (first !== again) throw new CliFailure('Les deux saisies du mot de passe diffèrent : rien n’a été changé.');
  return first;
}

async function prompted(envName: string, prompt: string, what: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) throw new CliFailure(`${what} absent : définissez ${envName} ou lancez la commande dans un terminal.`);
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          done();
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          done();
          reject(new CliFailure('Saisie interrompue.'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    stdin.on('data', onData);
  });
}
