import { useId, useState } from 'react';
import { CONSENT_SOURCES, type ConsentInput, type ContactList, type FilePreview } from '../../../shared/contacts';
import { useI18n } from '../../i18n/i18n';

/** `tags`: a column of tags ("VIP, Mayoreo"), each a tag on its contact (#35); kept as a field too. */
export type Role = 'phone' | 'name' | 'field' | 'tags' | 'ignore';
export type Mapping = {
  roles: Role[];
  country: string;
  target: { kind: 'new'; name: string } | { kind: 'existing'; id: number };
  /** Contacts already in the app: take the file's name and fields, or leave them as they are. */
  existing?: 'update' | 'keep';
  /** Where the contacts came from and whether they agreed (unanswered: recorded as never asked). */
  consentSource?: ConsentInput['source'];
  consentAgreed?: boolean;
};
export const COUNTRIES = ['MX', 'US', 'ES', 'CO', 'AR', 'PE', 'CL', 'GT', 'EC', 'VE', 'DO', 'CR', 'PA', 'UY', 'BO', 'PY', 'SV', 'HN', 'NI', 'CA', 'BR'] as const;

/** Above this many columns, those empty in every previewed row start ignored: a wide CRM export is mostly empty. */
const WIDE = 50;

export function initialRoles(preview: FilePreview): Role[] {
  const wide = preview.headers.length > WIDE;
  return preview.headers.map((_, i) => {
    if (i === preview.suggested.phoneColumn) return 'phone';
    if (i === preview.suggested.nameColumn) return 'name';
    return wide && !preview.rows.some((r) => r.cells[i]) ? 'ignore' : 'field';
  });
}

/** Step 2: what each column is, which sheet and header row, the default country and the target list. */
export function ColumnsStep(props: {
  preview: FilePreview;
  lists: ContactList[];
  mapping: Mapping;
  onMapping(mapping: Mapping): void;
  onReread(opts: { sheet?: string; headerRow?: number }): void;
  onStart(): void;
  onChangeFile(): void;
  busy: boolean;
}) {
  const { t } = useI18n();
  const { preview, mapping } = props;
  const [touched, setTouched] = useState(false);
  const ids = { sheet: useId(), header: useId(), country: useId(), list: useId(), existing: useId(), consent: useId() };
  const hasPhone = mapping.roles.includes('phone');
  const setRole = (column: number, role: Role) => {
    // One phone and one name column: choosing one again moves it.
    const roles = mapping.roles.map((r, i) => (i === column ? role : (role === 'phone' || role === 'name' || role === 'tags') && r === role ? 'field' : r));
    props.onMapping({ ...mapping, roles });
  };
  const headerChoices = [...preview.aboveHeader, { rowNumber: preview.headerRow, cells: preview.headers }, ...preview.rows.slice(0, 3)];

  return (
    <div data-testid="import-columns">
      <p className="hint" data-testid="import-detected">
        <strong>{preview.fileName}</strong> —{' '}
        {preview.kind === 'xlsx'
          ? 'Excel (XLSX)'
          : t('import.detected', { kind: 'CSV', encoding: preview.encoding ? t(`import.encodings.${preview.encoding}`) : '', delimiter: preview.delimiter === '\t' ? t('import.tab') : (preview.delimiter ?? '') })}
      </p>
      <div className="form-grid">
        {preview.kind === 'xlsx' && (
          <div className="field">
            <label htmlFor={ids.sheet}>{t('import.sheet')}</label>
            <select id={ids.sheet} value={preview.sheet ?? ''} onChange={(e) => props.onReread({ sheet: e.target.value })} data-testid="import-sheet">
              {preview.sheets.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.name === preview.contactsSheet
                    ? t('import.sheetContacts', { name: s.name, phones: s.phones })
                    : s.empty
                      ? t('import.sheetEmpty', { name: s.name })
                      : s.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor={ids.header}>{t('import.headerRow')}</label>
          <select id={ids.header} value={preview.headerRow} onChange={(e) => props.onReread({ ...(preview.sheet ? { sheet: preview.sheet } : {}), headerRow: Number(e.target.value) })} data-testid="import-header-row">
            {headerChoices.map((r) => (
              <option key={r.rowNumber} value={r.rowNumber}>
                {t('import.headerRowOption', { row: r.rowNumber, text: r.cells.filter(Boolean).slice(0, 4).join(', ').slice(0, 60) })}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.country}>{t('import.country')}</label>
          <select id={ids.country} value={mapping.country} onChange={(e) => props.onMapping({ ...mapping, country: e.target.value })} data-testid="import-country">
            {COUNTRIES.map((c) => (
              <option key={c} value={c}>{t(`countries.${c}`)}</option>
            ))}
          </select>
        </div>
      </div>

      <WhyColumns preview={preview} />

      <h2>{t('import.previewTitle')}</h2>
      <div className="preview-scroll">
        <table className="preview" data-testid="import-preview">
          <thead>
            <tr>
              <th scope="col">#</th>
              {preview.headers.map((h, i) => (
                <th key={i} scope="col">
                  <div>{h}</div>
                  <div className="column-look" data-testid={`look-${i}`}>{t(`import.look.${preview.columns[i]?.kind ?? 'text'}`)}</div>
                  <select aria-label={t('import.columnRole', { name: h })} value={mapping.roles[i]} onChange={(e) => setRole(i, e.target.value as Role)} data-testid={`role-${i}`}>
                    <option value="phone">{t('import.rolePhone')}</option>
                    <option value="name">{t('import.roleName')}</option>
                    <option value="field">{t('import.roleField', { name: h })}</option>
                    <option value="tags">{t('import.roleTags')}</option>
                    <option value="ignore">{t('import.roleIgnore')}</option>
                  </select>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((r) => (
              <tr key={r.rowNumber}>
                <th scope="row">{r.rowNumber}</th>
                {r.cells.map((c, i) => (
                  <td key={i} className={`role-${mapping.roles[i]}`}>{c}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <fieldset className="field target">
        <legend>{t('import.target')}</legend>
        <label>
          <input type="radio" name="target" checked={mapping.target.kind === 'new'} onChange={() => props.onMapping({ ...mapping, target: { kind: 'new', name: preview.fileName.replace(/\.[^.]+$/, '') } })} />
          {t('import.newList')}
        </label>
        {mapping.target.kind === 'new' && (
          <input aria-label={t('import.listName')} type="text" value={mapping.target.name} onChange={(e) => props.onMapping({ ...mapping, target: { kind: 'new', name: e.target.value } })} data-testid="import-list-name" />
        )}
        {props.lists.length > 0 && (
          <label>
            <input type="radio" name="target" checked={mapping.target.kind === 'existing'} onChange={() => props.onMapping({ ...mapping, target: { kind: 'existing', id: props.lists[0]?.id ?? 0 } })} data-testid="import-existing" />
            {t('import.existingList')}
          </label>
        )}
        {mapping.target.kind === 'existing' && (
          <select aria-label={t('import.chooseExisting')} value={mapping.target.id} onChange={(e) => props.onMapping({ ...mapping, target: { kind: 'existing', id: Number(e.target.value) } })}>
            {props.lists.map((l) => (
              <option key={l.id} value={l.id}>{l.name}</option>
            ))}
          </select>
        )}
      </fieldset>

      <fieldset className="field target" data-testid="import-existing-contacts">
        <legend>{t('import.existingContacts')}</legend>
        <label>
          <input type="radio" name="existing" checked={(mapping.existing ?? 'update') === 'update'} onChange={() => props.onMapping({ ...mapping, existing: 'update' })} data-testid="existing-update" />
          {t('import.existingUpdate')}
        </label>
        <label>
          <input type="radio" name="existing" checked={mapping.existing === 'keep'} onChange={() => props.onMapping({ ...mapping, existing: 'keep' })} data-testid="existing-keep" />
          {t('import.existingKeep')}
        </label>
      </fieldset>

      <fieldset className="field target" data-testid="import-consent">
        <legend>{t('import.consentTitle')}</legend>
        <p className="help">{t('import.consentHelp')}</p>
        <label htmlFor={ids.consent}>{t('import.consentSource')}</label>
        <select id={ids.consent} value={mapping.consentSource ?? ''} onChange={(e) => props.onMapping({ ...mapping, consentSource: (e.target.value || undefined) as ConsentInput['source'] | undefined })} data-testid="consent-source">
          <option value="">{t('import.consentChoose')}</option>
          {CONSENT_SOURCES.map((s) => <option key={s} value={s}>{t(`import.consentSources.${s}`)}</option>)}
        </select>
        {mapping.consentSource === 'bought' && <p className="banner banner-warning" data-testid="consent-bought">{t('import.consentBought')}</p>}
        <label>
          <input type="radio" name="consent" checked={mapping.consentAgreed === true} onChange={() => props.onMapping({ ...mapping, consentAgreed: true })} data-testid="consent-agreed" />
          {t('import.consentAgreed')}
        </label>
        <label>
          <input type="radio" name="consent" checked={mapping.consentAgreed === false} onChange={() => props.onMapping({ ...mapping, consentAgreed: false })} data-testid="consent-not-agreed" />
          {t('import.consentNotAgreed')}
        </label>
      </fieldset>

      {touched && !hasPhone && <p role="alert" className="banner banner-error">{t('import.phoneRequired')}</p>}
      <div className="actions">
        <button
          type="button"
          disabled={props.busy}
          onClick={() => {
            setTouched(true);
            if (hasPhone) props.onStart();
          }}
          data-testid="import-start"
        >
          {t('import.start')}
        </button>
        <button type="button" className="button-secondary" onClick={props.onChangeFile}>{t('import.changeFile')}</button>
      </div>
    </div>
  );
}

/** Why these columns and this sheet were proposed, in words, so the user can check the guess before importing. */
function WhyColumns({ preview }: { preview: FilePreview }) {
  const { t } = useI18n();
  const { phone, name } = preview.suggested;
  const header = (column: number) => preview.headers[column] ?? '';
  const phoneCell = phone ? preview.rows.find((r) => (r.cells[phone.column] ?? '').includes(':::')) : undefined;
  return (
    <ul className="why-columns" data-testid="import-why">
      {preview.sheets.length > 1 && preview.sheet === preview.contactsSheet && (
        <li data-testid="why-sheet">{t('import.why.sheet', { name: preview.sheet ?? '', count: preview.sheets.length })}</li>
      )}
      <li data-testid="why-phone">
        {!phone
          ? t('import.why.noPhone')
          : phone.matching === 0
            ? t('import.why.phoneByTitle', { name: header(phone.column) })
            : t('import.why.phone', { name: header(phone.column), matching: phone.matching, sampled: phone.sampled })}
      </li>
      <li data-testid="why-name">
        {!name
          ? t('import.why.noName')
          : name.byTitle
            ? t('import.why.nameByTitle', { name: header(name.column), matching: name.matching, sampled: name.sampled })
            : t('import.why.name', { name: header(name.column), matching: name.matching, sampled: name.sampled })}
      </li>
      {phone && phoneCell && <li data-testid="why-multi">{t('import.why.multiValue', { name: header(phone.column) })}</li>}
    </ul>
  );
}
