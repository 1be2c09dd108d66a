import { describe, expect, it } from 'vitest';
import {
  objectEventBase,
  objectToApi,
  tagChangeProblem,
  type ObjectRecord,
  type TagChangeState,
} from '../../src/domain/objects.js';

const record = (over: Partial<ObjectRecord> = {}): ObjectRecord => ({
  uuid: '550e8400-e29b-11d4-a716-446655440000',
  type: 'recording',
  owner: '1de7257a-4f34-11e0-ab6e-0024e8f90cc1',
  createdUs: 1324899645_999_999,
  description: 'Ein Anruf von Herrn Mueller',
  data: { from: '+492421848484', to: '+492216698123' },
  searchText: '',
  sizeBytes: 0,
  tags: ['ae30e5b0-5c3d-11e0-817e-0024e8f90cc0', 'be00e8aa-5c3d-11e0-b0cf-0024e8f90cc0'],
  trashed: false,
  ...over,
});

describe('objectToApi (spec 3.10 listing entry)', () => {
  it('produces the spec example entry with whole seconds and the type fields spread in', () => {
    expect(objectToApi(record())).toEqual({
      type: 'recording',
      owner: '1de7257a-4f34-11e0-ab6e-0024e8f90cc1',
      time: 1324899645,
      tag: ['ae30e5b0-5c3d-11e0-817e-0024e8f90cc0', 'be00e8aa-5c3d-11e0-b0cf-0024e8f90cc0'],
      description: 'Ein Anruf von Herrn Mueller',
      from: '+492421848484',
      to: '+492216698123',
    });
    expect(Object.keys(objectToApi(record()))).toEqual([
      'type',
      'owner',
      'time',
      'tag',
      'description',
      'from',
      'to',
    ]);
  });

  it('omits a missing description (spec contact example) and never lets data shadow the generic fields', () => {
    const out = objectToApi(
      record({
        type: 'contact',
        description: null,
        data: {
          firstname: 'Dirk',
          lastname: 'Mueller',
          type: 'x',
          owner: 'y',
          time: 1,
          tag: [],
          description: 'z',
        },
      }),
    );
    expect(out).toEqual({
      type: 'contact',
      owner: '1de7257a-4f34-11e0-ab6e-0024e8f90cc1',
      time: 1324899645,
      tag: record().tags,
      firstname: 'Dirk',
      lastname: 'Mueller',
    });
  });
});

describe('objectEventBase (spec 7.6)', () => {
  it('lists object, type, owner, user and description in order, leaving out what is absent', () => {
    expect(objectEventBase(record(), 'ae30e5b0-5c3d-11e0-817e-0024e8f90cc0')).toEqual({
      object: record().uuid,
      type: 'recording',
      owner: record().owner,
      user: 'ae30e5b0-5c3d-11e0-817e-0024e8f90cc0',
      description: 'Ein Anruf von Herrn Mueller',
    });
    expect(objectEventBase(record({ description: null }))).toEqual({
      object: record().uuid,
      type: 'recording',
      owner: record().owner,
    });
  });
});

describe('tagChangeProblem (spec 3.12 rules)', () => {
  const ALL = 'a0000000-0000-1000-8000-000000000001';
  const TRASH = 'a0000000-0000-1000-8000-000000000002';
  const MINE = 'a0000000-0000-1000-8000-000000000003';
  const OTHER = 'a0000000-0000-1000-8000-000000000004';
  const kinds = new Map([
    [ALL, 'tag_all'],
    [TRASH, 'tag_trash'],
    [MINE, 'user'],
    [OTHER, 'user'],
  ]);
  const state = (attached: string[], trashed = false): TagChangeState => ({
    attached: new Set(attached),
    trashed,
    kinds,
  });

  it('allows adding and removing ordinary tags', () => {
    expect(tagChangeProblem(state([ALL]), [MINE], [])).toBeNull();
    expect(tagChangeProblem(state([ALL, MINE]), [OTHER], [MINE])).toBeNull();
    expect(tagChangeProblem(state([ALL]), [TRASH], [])).toBeNull();
  });

  it('answers already-tag and no-tag', () => {
    expect(tagChangeProblem(state([ALL, MINE]), [MINE], [])?.status).toBe('already-tag');
    expect(tagChangeProblem(state([ALL]), [], [MINE])?.status).toBe('no-tag');
  });

  it('never lets tag_all go', () => {
    expect(tagChangeProblem(state([ALL, MINE]), [], [ALL])?.status).toBe('access-denied');
  });

  it('only allows removing the trash tag from a trashed object', () => {
    const trashed = state([ALL, TRASH, MINE], true);
    expect(tagChangeProblem(trashed, [], [TRASH])).toBeNull();
    expect(tagChangeProblem(trashed, [OTHER], [])?.status).toBe('access-denied');
    expect(tagChangeProblem(trashed, [], [MINE])?.status).toBe('access-denied');
    expect(tagChangeProblem(trashed, [], [TRASH, MINE])?.status).toBe('access-denied');
    expect(tagChangeProblem(trashed, [OTHER], [TRASH])?.status).toBe('access-denied');
  });
});
