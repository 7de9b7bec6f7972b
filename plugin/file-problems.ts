/**
 * Why a file named on the command line cannot be read or written, in plain words for the system's codes
 * a person meets (a slip in a path, a folder, permissions, a file that must not be overwritten); the
 * system's own message for anything else.
 */
export function fileProblem(error: unknown, use: 'read' | 'write'): string {
  const reasons: Record<string, string> = {
    ENOENT: use === 'read' ? 'there is no such file' : 'its folder does not exist',
    EISDIR: 'it is a folder, not a file',
    EACCES: `this user may not ${use} it`,
    EEXIST: 'a file of that name exists already, and is not overwritten',
    ENOSPC: 'the disk is full',
  };
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return (code && reasons[code]) ?? (error instanceof Error ? error.message : String(error));
}
