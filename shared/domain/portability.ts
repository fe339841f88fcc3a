/**
 * A person's data handed over (RGPD art. 15 and 20; CPCE art. L.103 for the vault's papers): the JSON file of the
 * export ZIP, in a documented, versioned schema (docs/portability.md). Version 1. Another tool can read it with the
 * JSON Schema written beside it in the ZIP (`personne.schema.json`, from `z.toJSONSchema`).
 */
import { z } from 'zod';
import { documentType } from './document';
import { TASK_PRIORITIES, TASK_STATUSES } from './task';
import { PERSON_KINDS } from './person';

const text = (max: number) => z.string().max(max).nullable();
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date AAAA-MM-JJ attendue').nullable();
const at = z.string().datetime({ offset: true });
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'empreinte SHA-256 hexadécimale attendue');

export const PERSON_EXPORT_FORMAT = 'solidariciel-person';
export const PERSON_EXPORT_VERSION = 1;

export const exportedPerson = z.object({
  civility: text(20),
  firstName: z.string().max(200),
  lastName: z.string().max(200),
  birthDate: date,
  email: text(320),
  phone: text(40),
  phone2: text(40),
  addressLine: text(300),
  postalCode: text(20),
  city: text(120),
  country: text(80),
  memberNumber: text(40),
  kinds: z.array(z.enum(PERSON_KINDS)).max(3),
  membershipStart: date,
  membershipEnd: date,
  skills: text(1000),
  availability: text(1000),
  notes: text(10_000),
});

export const personExport = z.object({
  format: z.literal(PERSON_EXPORT_FORMAT),
  version: z.literal(PERSON_EXPORT_VERSION),
  exportedAt: at,
  source: z.object({ association: z.string().max(200), exportedBy: z.string().max(200) }),
  person: exportedPerson,
  groups: z.array(z.string().max(200)),
  notes: z.array(z.object({ text: z.string().max(100_000), authorName: z.string().max(200), createdAt: at })),
  tasks: z.array(
    z.object({
      title: z.string().min(1).max(300),
      description: text(10_000),
      dueDate: date,
      priority: z.enum(TASK_PRIORITIES),
      status: z.enum(TASK_STATUSES),
      createdAt: at,
    }),
  ),
  consents: z.array(z.object({ purpose: z.string().min(1).max(300), givenOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), withdrawnOn: date })),
  /** Their volunteer profile (docs/volunteers.md), when they have one and the exporter may see volunteers. Optional. */
  volunteer: z
    .object({
      skills: z.array(z.string().max(100)),
      area: text(100),
      hoursPerMonth: z.number().int().nullable(),
      availability: z.array(z.object({ weekday: z.number().int().min(1).max(7), start: z.string().max(5), end: z.string().max(5) })),
      absences: z.array(z.object({ from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) })),
    })
    .nullable()
    .optional(),
  /** Visits they received (`visited`) or gave (`volunteer`); a note sealed to a circle the exporter is not in is null. Optional. */
  visits: z
    .array(
      z.object({
        role: z.enum(['visited', 'volunteer']),
        start: at,
        minutes: z.number().int(),
        status: z.enum(['planned', 'done', 'missed', 'cancelled']),
        minutesSpent: z.number().int().nullable(),
        note: text(2000),
      }),
    )
    .optional(),
  /** Agenda events naming them that the exporter can read (docs/agenda.md): local start in its zone, weekly repetition. Optional. */
  events: z
    .array(
      z.object({
        kind: z.enum(['visit', 'appointment', 'meeting', 'permanence']),
        title: z.string().max(300),
        place: text(300),
        start: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/),
        timeZone: z.string().max(64),
        minutes: z.number().int(),
        everyWeeks: z.number().int().nullable(),
        until: date,
      }),
    )
    .optional(),
  papers: z.array(
    z.object({
      /** Path of the paper's PDF inside the ZIP (`pieces/…pdf`). */
      file: z.string().regex(/^pieces\/[A-Za-z0-9._-]+\.pdf$/),
      type: documentType,
      title: text(200),
      issuedOn: date,
      expiresOn: date,
      note: text(2000),
      pages: z.number().int().min(1),
      /** SHA-256 of the PDF's bytes. */
      sha256,
    }),
  ),
});
export type PersonExport = z.infer<typeof personExport>;

/** `manifest.json`: every other file of the ZIP with its SHA-256 (hex) and size in bytes. */
export const exportManifest = z.object({
  format: z.literal('solidariciel-manifest'),
  version: z.literal(1),
  files: z.array(z.object({ path: z.string().min(1).max(300), sha256, bytes: z.number().int().nonnegative() })).min(1),
});
export type ExportManifest = z.infer<typeof exportManifest>;

/** File names inside the export ZIP. */
export const EXPORT_FILES = { manifest: 'manifest.json', data: 'personne.json', schema: 'personne.schema.json', summary: 'resume.pdf' } as const;
