import { useEffect, useRef } from 'react';

/** An error the user must see: brought into view when it appears (a form's error below the fold went unseen: #30 item 9). */
export function AlertBanner({ text, testId }: { text: string; testId?: string }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
  }, [text]);
  return (
    <p ref={ref} role="alert" className="banner banner-error" data-testid={testId}>
      {text}
    </p>
  );
}
