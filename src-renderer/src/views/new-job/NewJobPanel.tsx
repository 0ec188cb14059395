import { Fragment, useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { HardwareDto } from '../../../../src-preload/contract';
import { call, CommandFailure, errorMessage } from '../../bridge/call';
import { Icon } from '../../components/Icon';
import { dccForScene, dccInfo } from '../../lib/dccs';
import { basename } from '../../lib/format';
import type { JobSummary, SubmitInput } from '../../../../src-preload/contract';
import { EMPTY_FORM, formToSubmit, serverFieldErrors, type FieldErrors, type JobForm } from '../../lib/job-form';
import { formToDuplicate, formToModify } from '../../lib/job-form-preset';
import { BatchFilePanel } from './BatchFilePanel';
import { DependsOnField } from './DependsOnField';
import { isYours, probedValue, type ProbedField } from '../../lib/probe-fill';
import { useDccs } from '../../state/dcc-store';
import { useJobs } from '../../state/jobs-store';
import { useSelection } from '../../state/selection-store';
import { useToasts } from '../../state/toasts-store';
import { useUi } from '../../state/ui-store';
import { Field } from './Field';
import { FrameRangeField } from './FrameRangeField';
import { ProbeSummary } from './ProbeSummary';
import { RenderOnField } from './RenderOnField';
import { SceneField } from './SceneField';
import { useFocusTrap } from '../../lib/use-focus-trap';
import { useRecentPaths } from './use-recent-paths';
import { useSceneProbe } from './use-scene-probe';

export function NewJobPanel({ onClose }: { onClose(): void }) {
  // Opened on an existing job (Modify, Duplicate) or empty; fixed for the panel's life.
  const [preset] = useState(() => useUi.getState().formPreset);
  const modifying = preset?.mode === 'modify' ? preset : null;
  const [form, setForm] = useState<JobForm>(preset?.form ?? EMPTY_FORM);
  const modified = useJobs((s) => (modifying ? s.byId.get(modifying.jobId) : undefined));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [submitting, setSubmitting] = useState(false);
  /** Bumped by each refused submit: focus then moves to the first field that says what is wrong. */
  const [refusals, setRefusals] = useState(0);
  const [hardware, setHardware] = useState<HardwareDto | null>(null);
  // Only DCCs an adapter renders with: a program detection found without one is never a choice.
  const dccs = useDccs();
  const panelRef = useRef<HTMLFormElement>(null);
  useFocusTrap(panelRef);
  const offeredScene = useUi((s) => s.newJobScene);

  // On the window, not the form: a button that turns disabled while submitting drops focus to <body>.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && !e.defaultPrevented) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  useEffect(() => {
    panelRef.current?.querySelector<HTMLInputElement>(preset ? '#frames' : '#scene')?.focus();
    call('devices.get', {}).then(setHardware).catch(() => {});
    // A DCC kept warm from now on: the scene's first probe then takes a load, not a start-up.
    if (preset?.mode !== 'modify') call('scene.warm', {}).catch(() => {});
    if (preset) return;
    // Defaults and choices; each may fail or be empty without blocking the form.
    call('settings.get', {})
      .then((s) =>
        setForm((f) => ({
          ...f,
          retries: String(s.defaults.retries),
          stall: s.defaults.stallTimeoutSec === null ? '' : String(s.defaults.stallTimeoutSec),
          timeout: s.defaults.taskTimeoutSec === null ? '' : String(s.defaults.taskTimeoutSec),
        })),
      )
      .catch(() => {});
  }, [preset]);

  // A scene handed over from outside (a second launch with a file) fills the field, open or not.
  useEffect(() => {
    if (offeredScene === null) return;
    setForm((f) => ({ ...f, scene: offeredScene }));
  }, [offeredScene]);

  const detected = useMemo(() => dccForScene(dccs, form.scene.trim()), [dccs, form.scene]);
  const effectiveDcc = form.dcc || detected?.id || '';
  const effective = effectiveDcc ? dccInfo(dccs, effectiveDcc) : null;
  const sceneOptional = effective?.sceneOptional === true;
  const tokens = effective?.tokens ?? [];
  // Until the DCC is known, the usual scene overrides are offered; then only those it reads.
  const reads = (override: string): boolean => !effective || effective.overrides.includes(override);

  const set = <K extends keyof JobForm>(key: K, value: JobForm[K]): void => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => {
      if (!e[key] && !e.general) return e;
      const next = { ...e };
      delete next[key];
      return next;
    });
  };

  const setSceneError = useCallback((message: string | undefined) => setErrors((e) => ({ ...e, scene: message })), []);
  const { info: probe, probing, note: probeNote, filled, probeNow } = useSceneProbe({
    form,
    scene: form.scene,
    dcc: form.dcc,
    auto: Boolean(form.dcc || detected),
    setForm,
    setSceneError,
  });
  const recent = useRecentPaths();
  const yours = (field: ProbedField): ReactNode =>
    isYours(form, filled, probe, field) ? (
      <span className="yours-marker" data-testid={`${field}-yours`} title={`You typed this; the scene says ${probe ? probedValue(probe, field) : ''}`}>
        yours
      </span>
    ) : null;

  useEffect(() => {
    if (refusals === 0) return;
    // The first wrong field in the form's order: the control its label names (a field may hold
    // other controls, like the frames' preview-pass box), or a control marked invalid itself.
    const wrong = panelRef.current?.querySelector<HTMLElement>('.field-invalid, [aria-invalid="true"]');
    const target = wrong?.matches('.field-invalid') ? wrong.querySelector<HTMLLabelElement>('label.field-label')?.control : wrong;
    target?.focus();
  }, [refusals]);

  const submit = async (e?: FormEvent): Promise<void> => {
    e?.preventDefault();
    if (submitting) return;
    const { input, errors: local } = modifying
      ? formToModify(form, modifying)
      : preset
        ? formToDuplicate(form, preset, sceneOptional)
        : formToSubmit(form, sceneOptional);
    if (Object.keys(local).length > 0) {
      setErrors(local);
      setRefusals((n) => n + 1);
      return;
    }
    setSubmitting(true);
    setErrors({});
    try {
      const job = modifying ? await call('jobs.modify', { id: modifying.jobId, ...input }) : await call('jobs.submit', input as SubmitInput);
      useJobs.getState().applyBatch({ upserts: [job], removed: [], progress: [] });
      useSelection.getState().set({ ids: new Set([job.id]), anchor: job.id, focus: job.id });
      useToasts.getState().push({
        kind: 'success',
        title: modifying ? `Modified job #${job.id}` : `Queued job #${job.id}`,
        message: `${job.name}: ${job.frameCount} frames`,
      });
      onClose();
    } catch (error) {
      if (error instanceof CommandFailure) setErrors(serverFieldErrors(error.message, error.field));
      else setErrors({ general: errorMessage(error) });
      setRefusals((n) => n + 1);
    } finally {
      setSubmitting(false);
    }
  };

  const probeRange =
    probe?.frameStart !== undefined && probe.frameEnd !== undefined ? `${probe.frameStart}-${probe.frameEnd}` : null;

  return (
    <div className="overlay overlay-drawer" onMouseDown={onClose}>
      <form
        ref={panelRef}
        className="drawer"
        role="dialog"
        aria-modal="true"
        aria-labelledby="new-job-title"
        data-testid="new-job-panel"
        noValidate
        onMouseDown={(e) => e.stopPropagation()}
        onSubmit={(e) => void submit(e)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void submit();
          }
        }}
      >
        {/* Not a <header>: inside the dialog it would be a second banner landmark beside the top bar's. */}
        <div className="drawer-head">
          <h2 id="new-job-title">{modifying ? `Modify job #${modifying.jobId}` : preset ? `New render job — copy of #${preset.jobId}` : 'New render job'}</h2>
          <button type="button" className="icon-btn" aria-label="Close" onClick={onClose}>
            <Icon name="close" />
          </button>
        </div>
        <div className="drawer-body">
          {modifying ? <ModifyNotice job={modified} /> : preset ? null : <BatchFilePanel onQueued={onClose} />}
          {modifying ? (
            <div className="field field-wide">
              <span className="field-label">Scene</span>
              <div className="input input-static mono" data-testid="modify-scene">
                {form.scene || '(none)'} · {dccInfo(dccs, form.dcc)?.label ?? form.dcc}
              </div>
              {/* A farm chosen in Modify whose shared folders miss the scene: refused here. */}
              {errors.scene ? (
                <div className="field-error" role="alert" data-testid="scene-error">
                  {errors.scene}
                </div>
              ) : (
                <div className="field-hint">Scene and DCC are what the job is: duplicate it to change them.</div>
              )}
            </div>
          ) : (
          <SceneField
            value={form.scene}
            onChange={(v) => set('scene', v)}
            onProbe={() => void probeNow()}
            recentScenes={recent.scenes}
            probing={probing}
            canProbe={form.scene.trim() !== ''}
            error={errors.scene}
            optional={sceneOptional}
          />
          )}
          {probe ? <ProbeSummary info={probe} /> : null}
          {probeNote ? (
            <div className="field-note" data-testid="probe-note">
              {probeNote}
            </div>
          ) : null}

          <div className="form-grid">
            <Field label="DCC" htmlFor="dcc" error={errors.dcc}>
              <select id="dcc" className="input" value={form.dcc} disabled={modifying !== null} onChange={(e) => set('dcc', e.target.value)} data-testid="dcc-select">
                <option value="">Auto{detected ? ` (${detected.label})` : form.scene.trim() ? ' (unknown type)' : ''}</option>
                {dccs.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.label}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Name" htmlFor="name" error={errors.name}>
              <input
                id="name"
                className="input"
                value={form.name}
                placeholder={form.scene.trim() ? basename(form.scene.trim()).replace(/\.[^.]+$/, '') : 'from the scene file'}
                onChange={(e) => set('name', e.target.value)}
              />
            </Field>
          </div>

          {effective?.overrides.includes('template') ? (
            <Field
              label="Command template"
              htmlFor="template"
              error={errors.template}
              wide
              hint={
                <span data-testid="template-tokens">
                  Placeholders:{' '}
                  {tokens.map((t, i) => (
                    <Fragment key={t}>
                      {i > 0 ? ' ' : null}
                      <code>{`{${t}}`}</code>
                    </Fragment>
                  ))}
                </span>
              }
            >
              <input id="template" className="input mono" value={form.template} spellCheck={false} onChange={(e) => set('template', e.target.value)} />
            </Field>
          ) : null}

          <FrameRangeField
            value={form.frames}
            onChange={(v) => set('frames', v)}
            serverError={errors.frames}
            scene={probe}
            marker={yours('frames')}
            emptyHint={probeRange ? `empty: the scene's range ${probeRange}` : "empty: the scene's own frame range"}
          />

          <Field
            label="Output"
            htmlFor="output"
            error={errors.output}
            marker={yours('output')}
            wide
            hint={
              form.output.trim() && !form.output.includes('#') ? (
                'no # in the pattern: four frame digits will be appended'
              ) : (
                <>
                  <code>#</code> marks the frame digits, e.g. <code>/renders/shot_####.png</code>; empty: the scene's own output
                </>
              )
            }
          >
            <input
              id="output"
              className="input mono"
              value={form.output}
              placeholder="scene's output"
              spellCheck={false}
              onChange={(e) => set('output', e.target.value)}
              data-testid="output-input"
              list="recent-outputs"
            />
            <datalist id="recent-outputs">
              {recent.outputs.map((o) => (
                <option key={o} value={o.endsWith('/') ? o : `${o}/`} />
              ))}
            </datalist>
          </Field>

          <RenderOnField value={form.farm} error={errors.farm} locked={modifying?.farmLocked ?? null} onChange={(farm) => set('farm', farm)} />

          <div className="form-grid form-grid-3">
            <Field label="Chunk size" htmlFor="chunk" error={errors.chunk} hint="frames per process">
              <input id="chunk" className="input mono" value={form.chunk} placeholder="auto" onChange={(e) => set('chunk', e.target.value)} />
            </Field>
            <Field label="Priority" htmlFor="priority" error={errors.priority} hint="higher runs first">
              <input id="priority" className="input mono" type="number" value={form.priority} onChange={(e) => set('priority', e.target.value)} />
            </Field>
            <Field label="Device" htmlFor="device" error={errors.device}>
              <select id="device" className="input" value={form.device} onChange={(e) => set('device', e.target.value)}>
                <option value="cpu">CPU</option>
                <option value="any-gpu">Any GPU</option>
                {(hardware?.gpus ?? []).map((g) => (
                  <option key={g.index} value={`gpu:${g.index}`}>
                    GPU {g.index}: {g.model}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Retries" htmlFor="retries" error={errors.retries} hint="per chunk">
              <input id="retries" className="input mono" type="number" min={0} value={form.retries} onChange={(e) => set('retries', e.target.value)} />
            </Field>
            <Field label="Stall timeout (s)" htmlFor="stall" error={errors.stall} hint="no output for this long">
              <input id="stall" className="input mono" value={form.stall} placeholder="never" onChange={(e) => set('stall', e.target.value)} />
            </Field>
            <Field label="Total timeout (s)" htmlFor="timeout" error={errors.timeout} hint="per chunk">
              <input id="timeout" className="input mono" value={form.timeout} placeholder="never" onChange={(e) => set('timeout', e.target.value)} />
            </Field>
          </div>

          {reads('camera') || reads('layer') || reads('samples') ? (
            <div className="form-grid form-grid-3">
              {reads('camera') ? (
                <Field label="Camera" htmlFor="camera" error={errors.camera} marker={yours('camera')}>
                  {probe?.cameras && probe.cameras.length > 0 ? (
                    <select id="camera" className="input" value={form.camera} onChange={(e) => set('camera', e.target.value)}>
                      <option value="">Scene ({probe.activeCamera ?? 'active'})</option>
                      {probe.cameras.map((c) => (
                        <option key={c} value={c}>
                          {c}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <input id="camera" className="input" value={form.camera} placeholder="scene camera" onChange={(e) => set('camera', e.target.value)} />
                  )}
                </Field>
              ) : null}
              {reads('layer') ? (
                <Field label="Render layer" htmlFor="layer" error={errors.layer}>
                  {probe?.layers && probe.layers.length > 0 ? (
                    <select id="layer" className="input" value={form.layer} onChange={(e) => set('layer', e.target.value)}>
                      <option value="">All layers</option>
                      {probe.layers.map((l) => (
                        <option key={l} value={l}>
                          {l}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <input id="layer" className="input" value={form.layer} placeholder="all layers" onChange={(e) => set('layer', e.target.value)} />
                  )}
                </Field>
              ) : null}
              {reads('samples') ? (
                <Field label="Samples" htmlFor="samples" error={errors.samples}>
                  <input id="samples" className="input mono" value={form.samples} placeholder="scene" onChange={(e) => set('samples', e.target.value)} />
                </Field>
              ) : null}
            </div>
          ) : null}

          <div className="form-grid form-grid-3">
            <Field label="Slots" htmlFor="slots" error={errors.slots} hint="chunks at once">
              <input id="slots" className="input mono" value={form.slots} placeholder="devices" onChange={(e) => set('slots', e.target.value)} />
            </Field>
            {/* Every CPU render gets a thread count from the scheduler: not a DCC override. */}
            <Field label="Threads" htmlFor="threads" error={errors.threads} hint="per CPU process">
              <input id="threads" className="input mono" value={form.threads} placeholder="device share" onChange={(e) => set('threads', e.target.value)} />
            </Field>
            {reads('format') ? (
              <Field label="Output format" htmlFor="format" error={errors.format} hint="PNG, JPEG, OPEN_EXR…">
                <input id="format" className="input mono" value={form.format} placeholder="scene's own" spellCheck={false} onChange={(e) => set('format', e.target.value)} />
              </Field>
            ) : null}
          </div>

          <DependsOnField value={form.after} onChange={(ids) => set('after', ids)} exclude={modifying?.jobId} error={errors.after} />

          {errors.general ? (
            <div className="form-error" role="alert" data-testid="form-error">
              {errors.general}
            </div>
          ) : null}
        </div>
        <footer className="drawer-foot">
          <span className="drawer-foot-hint">
            <kbd>Ctrl</kbd>+<kbd>Enter</kbd> submits · <kbd>Esc</kbd> closes
          </span>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn btn-primary"
            disabled={submitting || (modifying !== null && modified !== undefined && !modified.actions.includes('modify'))}
            data-testid="submit-job"
          >
            {submitting ? (modifying ? 'Saving…' : 'Submitting…') : modifying ? 'Save changes' : 'Submit job'}
          </button>
        </footer>
      </form>
    </div>
  );
}

/** What saving does to the job's work, said before it is saved (the engine applies the same rule). */
function ModifyNotice({ job }: { job: JobSummary | undefined }) {
  if (!job) return null;
  const rendering = job.status === 'running';
  const text = rendering
    ? job.intent === 'paused'
      ? 'This job is pausing: the frame in progress is being finished and saved. Changes can be saved once it is paused; running work is never changed.'
      : 'This job is rendering: pause it first. Running work is never changed.'
    : !job.actions.includes('modify')
      ? `This job has finished (${job.status}): duplicate it to render again with changes.`
      : `Nothing of this job is rendering. Frames already done stay done (${job.framesDone}); done frames the new frame set leaves out leave the job, and their files stay on disk. Every other frame is chunked again with the new chunk size.${job.status === 'paused' ? ' The job stays paused until you resume it.' : ''}`;
  return (
    <div className={`modify-notice ${rendering ? 'modify-notice-warn' : ''}`} role="note" data-testid="modify-notice">
      {text}
    </div>
  );
}
