import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAssociation } from '../../main/services/association/associationStore';
import { systemClock } from '../../main/core/ports';
import { tempDir } from '../helpers/core';

// A cost libsodium refuses: the creation fails after the database was written, when the key slot is made.
const BROKEN_COST = { opslimit: 0, memlimit: 8192 };
const input = (dir: string) => ({ dir, name: 'Entraide', adminName: 'admin', password: 'un mot de passe solide' });

describe('a failed association creation', () => {
  it('in a folder that already existed (empty): removes only what it wrote and keeps the folder', async () => {
    const dir = join(tempDir(), 'vide');
    mkdirSync(dir);
    await expect(createAssociation(input(dir), systemClock, BROKEN_COST)).rejects.toBeDefined();
    expect(existsSync(dir)).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('in a folder it created: removes the folder', async () => {
    const dir = join(tempDir(), 'nouveau');
    await expect(createAssociation(input(dir), systemClock, BROKEN_COST)).rejects.toBeDefined();
    expect(existsSync(dir)).toBe(false);
  });

  it('a file, or a path under a file, is refused before anything is written', async () => {
    const root = tempDir();
    const file = join(root, 'un-fichier');
    writeFileSync(file, 'contenu précieux');
    await expect(createAssociation(input(join(file, 'sous-dossier')), systemClock, BROKEN_COST)).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(createAssociation(input(file), systemClock, BROKEN_COST)).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    expect(readdirSync(root)).toEqual(['un-fichier']);
  });
});
