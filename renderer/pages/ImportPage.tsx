import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import type { FilePreview, ImportSummary } from '../../shared/contacts';
import type { EventPayload } from '../../shared/contract';
import { api } from '../api/client';
import { uploadFile } from '../api/files';
import { ColumnsStep, initialRoles, type Mapping } from '../components/import/ColumnsStep';
import { ImportNotices } from '../components/import/ImportNotices';
import { ImportStart } from '../components/import/ImportStart';
import { SummaryStep } from '../components/import/SummaryStep';
import { errorText, useI18n } from '../i18n/i18n';
import { useLists } from '../state/use-lists';

type Step =
  | { name: 'file' }
  | { name: 'columns'; uploadId: string; preview: FilePreview }
  | { name: 'running'; jobId: number }
  | { name: 'summary'; summary: ImportSummary };

const STEPS = ['file', 'columns', 'running', 'summary'] as const;
const STEP_LABELS = { file: 'import.stepFile', columns: 'import.stepColumns', running: 'import.stepImport', summary: 'import.stepSummary' } as const;

/** The import wizard: file → columns → import with progress and cancel → summary. */
export function ImportPage() {
  const { t } = useI18n();
  const { lists } = useLists();
  const [step, setStep] = useState<Step>({ name: 'file' });
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [mapping, setMapping] = useState<Mapping>({ roles: [], country: 'MX', target: { kind: 'new', name: '' } });
  const [progress, setProgress] = useState<EventPayload<'contacts.importProgress'>>();
  const [dragging, setDragging] = useState(false);
  const finished = useRef(new Map<number, EventPayload<'contacts.importFinished'>>());
  const jobRef = useRef<number | null>(null);

  useEffect(() => {
    const settle = (done: EventPayload<'contacts.importFinished'>) => {
      setProgress(undefined);
      if (done.status === 'done' && done.summary) setStep({ name: 'summary', summary: done.summary });
      else {
        setNotice(done.status === 'cancelled' ? t('import.cancelled') : t('import.failed'));
        setStep({ name: 'file' });
      }
    };
    const offProgress = api.on('contacts.importProgress', (p) => p.jobId === jobRef.current && setProgress(p));
    const offFinished = api.on('contacts.importFinished', (done) => {
      // The event may come before the call that started the job has answered: keep it for then.
      finished.current.set(done.jobId, done);
      if (done.jobId === jobRef.current) settle(done);
    });
    return () => {
      offProgress();
      offFinished();
    };
  }, [t]);

  const read = async (uploadId: string, opts: { sheet?: string; headerRow?: number } = {}) => {
    const preview = await api.call('contacts.preview', { uploadId, ...opts });
    setStep({ name: 'columns', uploadId, preview });
    setMapping((m) => ({
      ...m,
      roles: initialRoles(preview),
      target: m.target.kind === 'new' && m.target.name ? m.target : { kind: 'new', name: preview.fileName.replace(/\.[^.]+$/, '') },
    }));
  };

  const guard = async (label: string, action: () => Promise<void>) => {
    setBusy(label);
    setError(undefined);
    setNotice(undefined);
    try {
      await action();
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(undefined);
    }
  };

  const choose = (file: File | undefined) => {
    if (!file) return;
    void guard(t('import.uploading', { name: file.name }), async () => {
      // A new file asks again where its contacts came from: the last file's answer is not this one's (#30 item 8).
      setMapping((m) => ({ ...m, target: { kind: 'new', name: '' }, consentSource: undefined, consentAgreed: undefined }));
      const uploaded = await uploadFile(file);
      await read(uploaded.uploadId);
    });
  };

  const start = () => {
    if (step.name !== 'columns') return;
    const { roles } = mapping;
    void guard(t('import.reading'), async () => {
      const phoneColumn = roles.indexOf('phone');
      const nameColumn = roles.indexOf('name');
      const tagColumn = roles.indexOf('tags');
      const { jobId } = await api.call('contacts.import', {
        uploadId: step.uploadId,
        sheet: step.preview.sheet,
        headerRow: step.preview.headerRow,
        phoneColumn,
        nameColumn: nameColumn === -1 ? null : nameColumn,
        fieldColumns: roles.flatMap((r, i) => (r === 'field' ? [i] : [])),
        ...(tagColumn === -1 ? {} : { tagColumn }),
        defaultCountry: mapping.country,
        list: mapping.target.kind === 'new' ? { name: mapping.target.name.trim() } : { id: mapping.target.id },
        existing: mapping.existing ?? 'update',
        // Said only when answered: a source and whether they agreed (unanswered halves: 'other', and not known).
        ...(mapping.consentSource || mapping.consentAgreed !== undefined ? { consent: { source: mapping.consentSource ?? 'other', agreed: mapping.consentAgreed === true } } : {}),
      });
      jobRef.current = jobId;
      setStep({ name: 'running', jobId });
      const early = finished.current.get(jobId);
      if (early) {
        setProgress(undefined);
        if (early.status === 'done' && early.summary) setStep({ name: 'summary', summary: early.summary });
      }
    });
  };

  const current = STEPS.indexOf(step.name);
  return (
    <section className="page" data-testid="page-import">
      <header className="page-header row-between">
        <h1>{t('import.title')}</h1>
        <Link to="/contactos">{t('import.back')}</Link>
      </header>
      <ol className="wizard-steps" aria-label={t('import.title')}>
        {STEPS.map((name, i) => (
          <li key={name} className={i === current ? 'current' : i < current ? 'done' : ''} aria-current={i === current ? 'step' : undefined}>
            {t(STEP_LABELS[name])}
          </li>
        ))}
      </ol>
      <ImportNotices />
      {notice && <p role="status" className="banner banner-warning" data-testid="import-notice">{notice}</p>}
      {error && <p role="alert" className="banner banner-error" data-testid="import-error">{error}</p>}
      {busy && <p role="status" className="hint" data-testid="import-busy">{busy}</p>}

      {step.name === 'file' && (
        <div
          className={`dropzone card ${dragging ? 'dragging' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            choose(e.dataTransfer.files[0]);
          }}
          data-testid="dropzone"
        >
          <h2>{t('import.dropTitle')}</h2>
          <p className="hint">{t('import.dropHelp')}</p>
          <label className="button">
            {t('import.choose')}
            <input
              type="file"
              className="visually-hidden"
              accept=".csv,.txt,.tsv,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              onChange={(e) => choose(e.target.files?.[0])}
              data-testid="import-file"
            />
          </label>
        </div>
      )}
      {step.name === 'file' && (
        <ImportStart
          busy={busy !== undefined}
          onPasted={choose}
          onOpenSummary={(importId) => void guard(t('common.loading'), async () => setStep({ name: 'summary', summary: await api.call('contacts.importSummary', { importId }) }))}
        />
      )}

      {step.name === 'columns' && (
        <ColumnsStep
          preview={step.preview}
          lists={lists}
          mapping={mapping}
          onMapping={setMapping}
          onReread={(opts) => void guard(t('import.reading'), () => read(step.uploadId, opts))}
          onStart={start}
          onChangeFile={() => setStep({ name: 'file' })}
          busy={busy !== undefined}
        />
      )}

      {step.name === 'running' && (
        <div className="card" data-testid="import-progress">
          <progress max={1} value={progress?.fraction ?? 0} data-testid="import-progress-bar" aria-label={t('import.stepImport')} />
          <p data-testid="import-progress-text">
            {progress?.phase === 'saving'
              ? t('import.progressSaving', { percent: Math.floor((progress.fraction ?? 0) * 100) })
              : t('import.progressReading', { percent: Math.floor((progress?.fraction ?? 0) * 100), rows: progress?.rowsRead ?? 0, valid: progress?.valid ?? 0, duplicates: progress?.duplicates ?? 0, rejected: progress?.rejected ?? 0 })}
          </p>
          <button
            type="button"
            className="button-secondary"
            disabled={progress?.phase === 'saving'}
            onClick={() => void api.call('contacts.importCancel', { jobId: step.jobId }).catch(() => undefined)}
            data-testid="import-cancel"
          >
            {t('import.cancel')}
          </button>
        </div>
      )}

      {step.name === 'summary' && <SummaryStep summary={step.summary} onAnother={() => { setStep({ name: 'file' }); setMapping((m) => ({ ...m, consentSource: undefined, consentAgreed: undefined })); }} />}
    </section>
  );
}
