/** Calls `onIdle` after `minutes` without keyboard, pointer, wheel or touch activity, or progress of a long operation. Activity resets the timer. */
import { useEffect, useRef } from 'react';
import { invoke, on } from '../../api/client';

const TOUCH_EVERY_MS = 60_000;

const ACTIVITY = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart', 'focusin'] as const;

export function useIdleLock(minutes: number, onIdle: () => void): void {
  const callback = useRef(onIdle);
  callback.current = onIdle;

  useEffect(() => {
    const ms = Math.max(1, minutes) * 60_000;
    let deadline = Date.now() + ms;
    // The core locks on its own after the same delay without requests: tell it, at most once a minute, that someone
    // is here even when they only type or read.
    let lastTouch = Date.now();
    const reset = () => {
      deadline = Date.now() + ms;
      if (Date.now() - lastTouch >= TOUCH_EVERY_MS) {
        lastTouch = Date.now();
        invoke('session:touch', {}).catch(() => undefined);
      }
    };
    // A coarse tick instead of resetting a timeout on every mouse move; also survives sleep/resume.
    const tick = window.setInterval(() => {
      if (Date.now() >= deadline) callback.current();
    }, 5_000);
    for (const type of ACTIVITY) window.addEventListener(type, reset, { passive: true, capture: true });
    // A long import or paper addition reports progress: the desk is busy, not idle, so it is not cut off by a lock.
    const unsubscribe = [on('imports:progress', reset), on('vault:progress', reset)];
    return () => {
      for (const off of unsubscribe) off();
      window.clearInterval(tick);
      for (const type of ACTIVITY) window.removeEventListener(type, reset, { capture: true });
    };
  }, [minutes]);
}
