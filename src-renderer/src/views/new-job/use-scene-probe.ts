import { useCallback, useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import type { SceneInfoDto } from '../../../../src-preload/contract';
import { call, errorMessage } from '../../bridge/call';
import type { JobForm } from '../../lib/job-form';
import { applyProbe, clearProbed, PROBED_FIELDS, type ProbeFilled } from '../../lib/probe-fill';

/** Long enough that typing a path does not probe every letter; short enough to feel automatic. */
export const PROBE_DEBOUNCE_MS = 400;

interface Options {
  form: JobForm;
  scene: string;
  dcc: string;
  /** The path names a scene a DCC claims (or a DCC is chosen): only then is it probed by itself. */
  auto: boolean;
  setForm: Dispatch<SetStateAction<JobForm>>;
  setSceneError(message: string | undefined): void;
}

/**
 * The probe that follows the scene field: a new path clears what the last probe filled (never what
 * the user typed), and is probed by itself once typing pauses. Only the answer for the path in the
 * field now is used: a slow answer for an earlier path is dropped.
 */
export function useSceneProbe({ form, scene, dcc, auto, setForm, setSceneError }: Options) {
  const [info, setInfo] = useState<SceneInfoDto | null>(null);
  const [probing, setProbing] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [filled, setFilled] = useState<ProbeFilled>({});
  const filledRef = useRef<ProbeFilled>({});
  const asked = useRef(0);
  // The form as last rendered: what is the probe's and what the user's is decided against it, outside any state updater.
  const formRef = useRef(form);
  formRef.current = form;

  /** Writes the probed fields of `next` and remembers which of them the probe filled. */
  const write = (next: JobForm, nowFilled: ProbeFilled): void => {
    filledRef.current = nowFilled;
    setFilled(nowFilled);
    setForm((f) => ({ ...f, ...Object.fromEntries(PROBED_FIELDS.map((k) => [k, next[k]])) }));
  };

  /** `quiet`: started by typing, so a file not there yet is no error and shows nothing. */
  const run = useCallback(async (quiet = false): Promise<void> => {
    const path = scene.trim();
    if (!path) return;
    const ticket = ++asked.current;
    setProbing(true);
    setNote(null);
    try {
      const answer = await call('scene.probe', { scene: path, ...(dcc ? { dcc } : {}), ...(quiet ? { quiet } : {}) });
      if (ticket !== asked.current) return;
      setInfo(answer);
      // Only a probe the user asked for answers for the field; one started by typing never clears
      // an error a submit just put there.
      if (!quiet) setSceneError(undefined);
      if (!answer && quiet) return;
      if (!answer) {
        setNote('Spool does not know this type of scene: choose the DCC, and give the frames to render.');
        return;
      }
      if (answer.note) setNote(answer.note);
      const next = applyProbe(formRef.current, filledRef.current, answer);
      write(next.form, next.filled);
    } catch (error) {
      if (ticket !== asked.current) return;
      setInfo(null);
      // What quiet did not turn into null (Blender failing on the file, say) is worth saying unasked.
      setSceneError(errorMessage(error));
    } finally {
      if (ticket === asked.current) setProbing(false);
    }
    // setForm and setSceneError are the form's stable setters.
  }, [scene, dcc]);

  // A new scene: forget the old one's answer and values at once, so nothing of it is submitted.
  useEffect(() => {
    asked.current++;
    setProbing(false);
    setInfo(null);
    setNote(null);
    write(clearProbed(formRef.current, filledRef.current), {});
    if (!auto) return;
    const timer = setTimeout(() => void run(true), PROBE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [scene, dcc, auto]);

  return { info, probing, note, filled, probeNow: () => run() };
}
