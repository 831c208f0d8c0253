/**
 * Tab API for session agendas and private notes (issue 18), and for finding the
 * session a Teams meeting side panel belongs to. Every body is checked by zod;
 * the use case decides who may read what and audits every read.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { AgendaStore } from '../../ports/agendaStore';
import type { CalendarPort } from '../../ports/calendar';
import { addAgendaItem, type AgendaDeps, markAgendaLine, readAgenda, readPrivateNote, removeAgendaItem, savePrivateNote, sessionForMeeting } from '../../usecases/agenda';
import { AppError } from '../../usecases/errors';
import { MAX_AGENDA_TEXT, MAX_NOTE_TEXT } from '../../domain/agenda';
import { wrap } from '../asyncHandler';

const Id = z.string().min(1).max(200);
const NewItem = z.object({ text: z.string().max(MAX_AGENDA_TEXT * 2) }).strict();
const Mark = z.object({ discussed: z.boolean() }).strict();
const Note = z.object({ text: z.string().max(MAX_NOTE_TEXT * 2) }).strict();
const Meeting = z.object({ chatId: z.string().max(500).optional(), meetingId: z.string().max(2000).optional() }).strict();

/** What these routes reach: the agenda store (absent where the deployment has none) and what the agenda use case reads. */
export type AgendaRoutesDeps = { agenda?: AgendaStore; store: AgendaDeps['records']; calendar: Pick<CalendarPort, 'listEvents'> } & Omit<AgendaDeps, 'agenda' | 'records'>;

/** The ports the agenda use case takes. */
export function agendaDeps(services: AgendaRoutesDeps): AgendaDeps {
  if (!services.agenda) throw new AppError(503, 'Agendas are not available in this deployment');
  return { agenda: services.agenda, records: services.store, directory: services.directory, policies: services.policies, clock: services.clock };
}

export function agendaRoutes(services: AgendaRoutesDeps): Router {
  const router = Router();
  router.get('/sessions/:id/agenda', wrap(async (req, res) => {
    res.json(await readAgenda(agendaDeps(services), req.person!, Id.parse(req.params.id)));
  }));
  router.post('/sessions/:id/agenda/items', wrap(async (req, res) => {
    const body = NewItem.parse(req.body);
    res.status(201).json(await addAgendaItem(agendaDeps(services), req.person!, Id.parse(req.params.id), body.text));
  }));
  router.post('/sessions/:id/agenda/items/:item/discussed', wrap(async (req, res) => {
    const body = Mark.parse(req.body);
    res.json(await markAgendaLine(agendaDeps(services), req.person!, Id.parse(req.params.id), Id.parse(req.params.item), body.discussed));
  }));
  router.delete('/sessions/:id/agenda/items/:item', wrap(async (req, res) => {
    res.json(await removeAgendaItem(agendaDeps(services), req.person!, Id.parse(req.params.id), Id.parse(req.params.item)));
  }));
  router.get('/sessions/:id/note', wrap(async (req, res) => {
    res.json(await readPrivateNote(agendaDeps(services), req.person!, Id.parse(req.params.id)));
  }));
  router.put('/sessions/:id/note', wrap(async (req, res) => {
    const body = Note.parse(req.body);
    res.json(await savePrivateNote(agendaDeps(services), req.person!, Id.parse(req.params.id), body.text));
  }));
  router.post('/meeting/session', wrap(async (req, res) => {
    const body = Meeting.parse(req.body);
    res.json(await sessionForMeeting({ ...agendaDeps(services), calendar: services.calendar }, req.person!, body));
  }));
  return router;
}
