/**
 * « Photographier une pièce »: a webcam or a document camera in the window (docs/scanning.md « La caméra »).
 * The camera is asked for only here, on this explicit click (`navigator.mediaDevices.getUserMedia`, video only;
 * Electron grants nothing else: main/windows/options.ts), and released as soon as the panel closes. « Prendre la
 * photo » freezes a frame; the margins (four fields, in percent) crop it, « Tourner » turns it a quarter, and
 * « Ajouter à la séance » sends it as a JPEG to the session (`scan:addPage`), where it becomes a page like a scanned
 * one. Nothing is written to the disk.
 */
import { useEffect, useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client';
import { ErrorAlert } from '../../components/Alert';
import { SelectField, TextField } from '../../components/Field';
import { cropRect, clampMargin, MAX_MARGIN, NO_MARGINS, rotatedCanvas, type Margins } from './cameraFrame';
import type { Rotation } from './sessionModel';

const JPEG_QUALITY = 0.92;
const SIDES = ['top', 'right', 'bottom', 'left'] as const;

/** The French (or English) sentence for a camera that could not be opened. */
function cameraError(e: unknown, t: TFunction): string {
  const name = e instanceof DOMException ? e.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return t('scan.camera.denied');
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return t('scan.camera.notFound');
  if (name === 'NotReadableError' || name === 'AbortError') return t('scan.camera.busy');
  return t('scan.camera.failed', { reason: errorMessage(e) });
}

/** Draws `frame` cropped by `margins` and turned by `rotation` on `canvas` (resized to fit). */
function render(canvas: HTMLCanvasElement, frame: HTMLCanvasElement, margins: Margins, rotation: Rotation): void {
  const crop = cropRect(frame.width, frame.height, margins);
  const place = rotatedCanvas(crop.width, crop.height, rotation);
  canvas.width = place.width;
  canvas.height = place.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.save();
  ctx.translate(place.dx, place.dy);
  ctx.rotate(place.radians);
  ctx.drawImage(frame, crop.x, crop.y, crop.width, crop.height, 0, 0, crop.width, crop.height);
  ctx.restore();
}

export function CameraCapture({ onAdd, onClose }: { onAdd(name: string, bytes: Uint8Array): Promise<void>; onClose(): void }) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const frame = useRef<HTMLCanvasElement | null>(null);
  const preview = useRef<HTMLCanvasElement>(null);
  const stream = useRef<MediaStream | null>(null);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [deviceId, setDeviceId] = useState('');
  const [live, setLive] = useState(false);
  const [captured, setCaptured] = useState(false);
  const [margins, setMargins] = useState<Margins>(NO_MARGINS);
  const [rotation, setRotation] = useState<Rotation>(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const count = useRef(0);

  // Open the chosen camera (the first one at first), and release it when the panel closes or another is chosen.
  useEffect(() => {
    let alive = true;
    setLive(false);
    const media = navigator.mediaDevices;
    if (!media?.getUserMedia) {
      setError(t('scan.camera.unsupported'));
      return;
    }
    media
      .getUserMedia({ video: deviceId ? { deviceId: { exact: deviceId }, width: { ideal: 3840 }, height: { ideal: 2160 } } : { width: { ideal: 3840 }, height: { ideal: 2160 } }, audio: false })
      .then(async (s) => {
        if (!alive) return s.getTracks().forEach((track) => track.stop());
        stream.current = s;
        if (video.current) {
          video.current.srcObject = s;
          await video.current.play().catch(() => undefined);
        }
        setLive(true);
        setError(null);
        const all = await media.enumerateDevices().catch(() => []);
        if (alive) setDevices(all.filter((d) => d.kind === 'videoinput'));
      })
      .catch((e: unknown) => alive && setError(cameraError(e, t)));
    return () => {
      alive = false;
      stream.current?.getTracks().forEach((track) => track.stop());
      stream.current = null;
    };
  }, [deviceId, t]);

  useEffect(() => {
    if (captured && frame.current && preview.current) render(preview.current, frame.current, margins, rotation);
  }, [captured, margins, rotation]);

  function capture() {
    const v = video.current;
    if (!v || !v.videoWidth) return setError(t('scan.camera.notReady'));
    const c = document.createElement('canvas');
    c.width = v.videoWidth;
    c.height = v.videoHeight;
    c.getContext('2d')?.drawImage(v, 0, 0);
    frame.current = c;
    setCaptured(true);
    setError(null);
  }

  async function add() {
    if (!frame.current || busy) return;
    setBusy(true);
    try {
      const out = document.createElement('canvas');
      render(out, frame.current, margins, rotation);
      const blob = await new Promise<Blob | null>((resolve) => out.toBlob(resolve, 'image/jpeg', JPEG_QUALITY));
      if (!blob) throw new Error(t('scan.camera.encodeFailed'));
      count.current += 1;
      await onAdd(`photo-${count.current}.jpg`, new Uint8Array(await blob.arrayBuffer()));
      setCaptured(false);
      setMargins(NO_MARGINS);
      setRotation(0);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="scan-camera stack" aria-labelledby="scan-camera-title">
      <h4 id="scan-camera-title">{t('scan.camera.title')}</h4>
      <ErrorAlert>{error}</ErrorAlert>
      {devices.length > 1 ? (
        <SelectField label={t('scan.camera.device')} value={deviceId || (devices[0]?.deviceId ?? '')} onChange={(e) => setDeviceId(e.target.value)}>
          {devices.map((d, i) => (
            <option key={d.deviceId || i} value={d.deviceId}>
              {d.label || t('scan.camera.unnamed', { n: i + 1 })}
            </option>
          ))}
        </SelectField>
      ) : null}
      <div className="scan-camera-view">
        <video ref={video} hidden={captured} muted playsInline aria-label={t('scan.camera.live')} />
        <canvas ref={preview} hidden={!captured} role="img" aria-label={t('scan.camera.captured')} data-testid="camera-preview" />
      </div>
      {captured ? (
        <>
          <fieldset className="scan-crop">
            <legend>{t('scan.camera.crop')}</legend>
            {SIDES.map((side) => (
              <TextField
                key={side}
                label={t(`scan.camera.margin.${side}`)}
                type="number"
                min={0}
                max={MAX_MARGIN}
                step={1}
                inputMode="numeric"
                value={margins[side]}
                onChange={(e) => setMargins((m) => ({ ...m, [side]: clampMargin(e.target.value) }))}
              />
            ))}
          </fieldset>
          <div className="actions">
            <button type="button" className="button secondary" onClick={() => setRotation((r) => ((r + 90) % 360) as Rotation)}>
              {t('scan.camera.rotate')}
            </button>
            <button type="button" className="button primary" aria-disabled={busy ? true : undefined} onClick={() => void add()}>
              {t('scan.camera.add')}
            </button>
            <button type="button" className="button secondary" onClick={() => setCaptured(false)}>
              {t('scan.camera.retake')}
            </button>
          </div>
        </>
      ) : (
        <div className="actions">
          <button type="button" className="button primary" aria-disabled={live ? undefined : true} onClick={capture}>
            {t('scan.camera.capture')}
          </button>
        </div>
      )}
      <div className="actions">
        <button type="button" className="button secondary" onClick={onClose}>
          {t('scan.camera.close')}
        </button>
      </div>
    </section>
  );
}
