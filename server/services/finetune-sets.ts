// Built fine-tuning sets for engineers: every version with its card, and one file of a version to download.
import { createReadStream, existsSync, type ReadStream } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../domain/errors.ts';
import type { FinetuneSetList, SetFile } from '../domain/finetune.ts';
import type { Database } from '../storage/database.ts';
import { FinetuneSetRepository } from '../storage/finetune-set-repository.ts';

export interface SetFileDownload {
  stream: ReadStream;
  contentType: string;
  /** The name to save it under: `<name>-v<version>-<file>`. */
  filename: string;
}

export class FinetuneSetService {
  private readonly sets: FinetuneSetRepository;

  constructor(db: Database) {
    this.sets = new FinetuneSetRepository(db);
  }

  async list(): Promise<FinetuneSetList> {
    return { sets: (await this.sets.listWithCards()).map(({ name, version, format, hash, card }) => ({ name, version, format, hash, card })) };
  }

  /** One file of a set version; not_found when the version or its file is gone. */
  async file(name: string, version: number, file: SetFile): Promise<SetFileDownload> {
    const set = await this.sets.get(name, version);
    const path = set ? join(set.path, file) : undefined;
    if (!path || !existsSync(path)) throw new AppError('not_found', `no file ${file} for set ${name} v${version}`);
    const type = file.endsWith('.md') ? 'text/markdown' : file.endsWith('.json') ? 'application/json' : 'application/x-ndjson';
    return { stream: createReadStream(path), contentType: `${type}; charset=utf-8`, filename: `${name}-v${version}-${file}` };
  }
}
