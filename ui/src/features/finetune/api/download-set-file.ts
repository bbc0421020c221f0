// GET /api/finetune/sets/:name/:version/:file: one file of a set. The endpoint needs the
// Authorization header, which a plain <a href> cannot send, so the file is fetched as a Blob and
// saved through an object URL.
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { saveBlob } from '../utils/save-blob.ts';
import type { SetFile } from '../../../lib/contract.ts';

export interface SetFileRef {
  name: string;
  version: number;
  file: SetFile;
}

export const setFilePath = ({ name, version, file }: SetFileRef) => `/api/finetune/sets/${encodeURIComponent(name)}/${version}/${encodeURIComponent(file)}`;
export const setFileName = ({ name, version, file }: SetFileRef) => `${name}-v${version}-${file}`;

export function downloadSetFile(ref: SetFileRef) {
  return api.requestBlob(setFilePath(ref));
}

export function useDownloadSetFile() {
  return useMutation({
    mutationFn: async (ref: SetFileRef) => {
      saveBlob(await downloadSetFile(ref), setFileName(ref));
    },
  });
}
