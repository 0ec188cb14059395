/**
 * What each array element runs: the chunk's argv, read NUL-separated from a file beside it (so it
 * survives byte for byte: no shell ever re-parses it), with the chunk's environment, then the exit
 * status written beside its log. Slurm forgets finished jobs after MinJobAge without accounting;
 * the exit file does not. Written atomically (rename) so a reader never sees half a number.
 */
export const WRAPPER_SCRIPT = `#!/bin/bash
# Spool farm element: runs one chunk's argv unchanged, then records its exit status.
dir="$1"
i="$SLURM_ARRAY_TASK_ID"
if [ -f "$dir/chunk-$i.env" ]; then
  while IFS= read -r -d '' kv; do export "$kv"; done < "$dir/chunk-$i.env"
fi
mapfile -d '' -t argv < "$dir/chunk-$i.argv"
if [ -f "$dir/chunk-$i.cwd" ]; then cd "$(cat "$dir/chunk-$i.cwd")" || exit 1; fi
"\${argv[@]}"
status=$?
printf '%s\\n' "$status" > "$dir/element-$i.exit.tmp" && mv -f "$dir/element-$i.exit.tmp" "$dir/element-$i.exit"
exit "$status"
`;
