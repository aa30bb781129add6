import { useEffect, useState } from 'react';
import QRCode from 'qrcode';

/** Draws the QR WhatsApp gave us as an image (a data: URL, which the CSP allows). */
export function QrCode({ value, alt }: { value: string; alt: string }) {
  const [src, setSrc] = useState<string>();
  useEffect(() => {
    let cancelled = false;
    QRCode.toDataURL(value, { margin: 1, width: 264, errorCorrectionLevel: 'L' }).then(
      (url) => !cancelled && setSrc(url),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [value]);
  return src ? <img className="qr" src={src} alt={alt} width={264} height={264} data-testid="qr-image" data-qr={value} /> : <div className="qr qr-loading" />;
}
