/** Channels for tasks (tâches). */
import { z } from 'zod';
import { channels } from './define';
import { task, taskInput, taskStatus, taskView } from '../domain/task';
import { id } from '../domain/common';

export const taskChannels = channels({
  'tasks:list': {
    request: z.object({ view: taskView.default('all'), personId: id.optional() }),
    response: z.object({ items: z.array(task) }),
  },
  'tasks:create': { request: z.object({ task: taskInput }), response: z.object({ id }) },
  'tasks:update': { request: z.object({ id, task: taskInput }), response: z.object({ id }) },
  'tasks:setStatus': { request: z.object({ id, status: taskStatus }), response: z.object({ id }) },
});
