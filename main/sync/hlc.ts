/**
 * Hybrid logical clock (Kulkarni et al., "Logical Physical Clocks", 2014): timestamps that follow wall time but
 * never go backwards, even when the wall clock does. Encoded as a fixed-width string that sorts in time order:
 * `<ms since epoch, 13 digits>-<counter, 4 hex>-<device id>`.
 */
export interface HlcState {
  millis: number;
  counter: number;
}

export const HLC_MAX_COUNTER = 0xffff;

/** Length of an HLC's time and counter (`<13 digits>-<4 hex>-`): the device id follows. */
export const HLC_DEVICE_AT = 19;

/**
 * `hlc` with the same time and counter but naming `deviceId`: how a folder restored from a backup re-sends, under
 * its new device identity, writes the original device made (docs/backup.md "Nothing written before the backup is
 * lost"). Receivers accept only change sets whose HLC names the sender (envelope.ts `checkEnvelopeDates`); keeping
 * the time keeps last-writer-wins as it was (a later write elsewhere still wins). Unchanged when it names it already.
 */
export function rebaseHlc(hlc: string, deviceId: string): string {
  return hlc.slice(HLC_DEVICE_AT) === deviceId ? hlc : hlc.slice(0, HLC_DEVICE_AT) + deviceId;
}

/**
 * A clock for one device. `now` (ms since epoch) is injectable for tests. More than 0x10000 events within one
 * millisecond of wall time borrow the next millisecond (the clock runs slightly ahead, never backwards).
 *
 * A new clock starts at zero: after a restart, seed it with `observe(await maxKnownHlc(db))` (versions.ts) before
 * the first write, or a wall clock set back while the app was closed would date new writes before older ones.
 */
export class HybridLogicalClock {
  private state: HlcState = { millis: 0, counter: 0 };

  constructor(
    readonly deviceId: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The next timestamp for a local event. */
  tick(): string {
    const wall = this.now();
    if (wall > this.state.millis) {
      this.state = { millis: wall, counter: 0 };
    } else {
      if (this.state.counter >= HLC_MAX_COUNTER) {
        // Wait for the wall clock rather than overflow into the next millisecond's space.
        this.state = { millis: this.state.millis + 1, counter: 0 };
      } else {
        this.state = { millis: this.state.millis, counter: this.state.counter + 1 };
      }
    }
    return formatHlc(this.state, this.deviceId);
  }

  /**
   * Moves the clock to a timestamp received from another device (or the greatest one known, to seed a new clock):
   * every later `tick` is greater. Throws on a malformed value.
   */
  observe(remote: string): void {
    const r = parseHlc(remote);
    if (r.millis > this.state.millis || (r.millis === this.state.millis && r.counter > this.state.counter)) {
      this.state = { millis: r.millis, counter: r.counter };
    }
  }
}

export function formatHlc(s: HlcState, deviceId: string): string {
  return `${String(s.millis).padStart(13, '0')}-${s.counter.toString(16).padStart(4, '0')}-${deviceId}`;
}

/** Parses `formatHlc` output. Throws on a malformed value. */
export function parseHlc(value: string): HlcState & { deviceId: string } {
  const m = /^(\d{13})-([0-9a-f]{4})-(.+)$/.exec(value);
  if (!m) throw new Error(`horodatage HLC invalide : ${value.slice(0, 40)}`);
  return { millis: Number(m[1]), counter: parseInt(m[2] ?? '0', 16), deviceId: m[3] ?? '' };
}
