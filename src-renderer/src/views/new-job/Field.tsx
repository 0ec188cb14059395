import type { ReactNode } from 'react';

interface Props {
  label: string;
  htmlFor: string;
  error?: string | undefined;
  hint?: ReactNode;
  children: ReactNode;
  wide?: boolean;
  /** Beside the label, e.g. the "yours" mark on a value the user typed over the scene's. */
  marker?: ReactNode;
}

/** Label, control, then either the field's error (from the form or from main) or its hint. */
export function Field({ label, htmlFor, error, hint, children, wide, marker }: Props) {
  return (
    <div className={`field ${wide ? 'field-wide' : ''} ${error ? 'field-invalid' : ''}`}>
      <label className="field-label" htmlFor={htmlFor}>
        {label}
        {marker}
      </label>
      {children}
      {error ? (
        <div className="field-error" id={`${htmlFor}-error`} role="alert" data-testid={`${htmlFor}-error`}>
          {error}
        </div>
      ) : hint ? (
        <div className="field-hint">{hint}</div>
      ) : null}
    </div>
  );
}
