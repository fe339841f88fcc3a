/** Calls `onIdle` after `minutes` without keyboard, pointer, wheel or touch activity. Activity resets the timer. */
import { useEffect, useRef } from 'react';

const ACTIVITY = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart', 'focusin'] as const;

export function useIdleLock(minutes: number, onIdle: () => void): void {
  const callback = useRef(onIdle);
  callback.current = onIdle;

  useEffect(() => {
    const ms = Math.max(1, minutes) * 60_000;
    let deadline = Date.now() + ms;
    const reset = () => {
      deadline = Date.now() + ms;
    };
    // A coarse tick instead of resetting a timeout on every mouse move; also survives sleep/resume.
    const tick = window.setInterval(() => {
      if (Date.now() >= deadline) callback.current();
    }, 5_000);
    for (const type of ACTIVITY) window.addEventListener(type, reset, { passive: true, capture: true });
    return () => {
      window.clearInterval(tick);
      for (const type of ACTIVITY) window.removeEventListener(type, reset, { capture: true });
    };
  }, [minutes]);
}
