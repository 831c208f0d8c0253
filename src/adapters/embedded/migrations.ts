/**
 * Forward-only schema migrations. Never edit a shipped entry: append a new one.
 * Index i takes the database from user_version i to i + 1.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: people, relationships, sessions, conversation references, audit, embedded calendar
  `
  CREATE TABLE people (
    id TEXT PRIMARY KEY,
    aad_object_id TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    job_title TEXT NOT NULL,
    team TEXT NOT NULL,
    roles TEXT NOT NULL,
    line_manager_id TEXT REFERENCES people(id),
    policy_id TEXT,
    staff_group_id TEXT,
    started_on TEXT,
    working_hours TEXT
  );
  CREATE TABLE relationships (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('individual','group')),
    supervisor_id TEXT NOT NULL REFERENCES people(id),
    policy_id TEXT NOT NULL,
    staff_group_id TEXT NOT NULL,
    started_on TEXT NOT NULL,
    override TEXT,
    active INTEGER NOT NULL DEFAULT 1
  );
  CREATE TABLE relationship_members (
    relationship_id TEXT NOT NULL REFERENCES relationships(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people(id),
    PRIMARY KEY (relationship_id, person_id)
  );
  CREATE INDEX relationship_members_person ON relationship_members(person_id);
  CREATE TABLE series (
    id TEXT PRIMARY KEY,
    relationship_id TEXT NOT NULL REFERENCES relationships(id),
    organiser_id TEXT NOT NULL,
    attendee_ids TEXT NOT NULL,
    rrule TEXT NOT NULL,
    first_start TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL,
    time_zone TEXT NOT NULL,
    calendar_event_id TEXT,
    request_key TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
  );
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    relationship_id TEXT NOT NULL REFERENCES relationships(id),
    series_id TEXT REFERENCES series(id),
    start TEXT NOT NULL,
    end TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('planned','held','cancelled','missed')),
    kind TEXT NOT NULL CHECK (kind IN ('planned','urgent','rebooked')),
    calendar_event_id TEXT,
    occurrence_start TEXT,
    replaces_session_id TEXT
  );
  CREATE INDEX sessions_relationship_start ON sessions(relationship_id, start);
  CREATE INDEX sessions_start ON sessions(start);
  CREATE TABLE conversation_refs (
    aad_object_id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    service_url TEXT NOT NULL,
    tenant_id TEXT,
    bot_id TEXT,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    action TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    detail TEXT
  );
  CREATE INDEX audit_subject ON audit_log(subject_id);
  CREATE INDEX audit_actor ON audit_log(actor_id);

  CREATE TABLE cal_events (
    id TEXT PRIMARY KEY,
    organiser_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    start_utc TEXT NOT NULL,
    end_utc TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    rrule TEXT,
    show_as TEXT NOT NULL,
    sensitivity TEXT NOT NULL,
    online INTEGER NOT NULL,
    join_url TEXT,
    reminder_minutes INTEGER NOT NULL,
    app_tag TEXT,
    transaction_id TEXT UNIQUE,
    cancelled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX cal_events_organiser ON cal_events(organiser_id);
  CREATE TABLE cal_attendees (
    event_id TEXT NOT NULL REFERENCES cal_events(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL,
    response TEXT NOT NULL,
    PRIMARY KEY (event_id, person_id)
  );
  CREATE INDEX cal_attendees_person ON cal_attendees(person_id);
  CREATE TABLE cal_exceptions (
    event_id TEXT NOT NULL REFERENCES cal_events(id) ON DELETE CASCADE,
    original_start_utc TEXT NOT NULL,
    cancelled INTEGER NOT NULL DEFAULT 0,
    start_utc TEXT,
    end_utc TEXT,
    PRIMARY KEY (event_id, original_start_utc)
  );
  CREATE TABLE cal_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    change TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX cal_changes_person ON cal_changes(person_id, seq);
  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // 2: supervision agreements
  `
  CREATE TABLE agreements (
    id TEXT PRIMARY KEY,
    relationship_id TEXT NOT NULL REFERENCES relationships(id),
    template_id TEXT NOT NULL,
    body TEXT NOT NULL,
    review_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft','signed')),
    created_at TEXT NOT NULL
  );
  CREATE INDEX agreements_relationship ON agreements(relationship_id, created_at);
  `,
  // 3: supervision records (current + history), actions, posted cards, the work ledger
  `
  CREATE TABLE records (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    relationship_id TEXT NOT NULL REFERENCES relationships(id),
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    etag TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX records_session ON records(session_id);
  CREATE INDEX records_relationship ON records(relationship_id, status);
  CREATE TABLE record_versions (
    record_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (record_id, version)
  );
  CREATE TABLE actions (
    id TEXT PRIMARY KEY,
    relationship_id TEXT NOT NULL,
    record_id TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    status TEXT NOT NULL,
    due_on TEXT NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX actions_relationship ON actions(relationship_id, status);
  CREATE INDEX actions_owner ON actions(owner_id, status);
  CREATE TABLE card_messages (
    key TEXT NOT NULL,
    aad_object_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    activity_id TEXT NOT NULL,
    posted_at TEXT NOT NULL,
    PRIMARY KEY (key, aad_object_id)
  );
  CREATE TABLE ledger (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    at TEXT NOT NULL,
    detail TEXT,
    PRIMARY KEY (kind, key)
  );
  `,
  // 4: the outbox of durable work, and leases
  `
  CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending','done')),
    attempts INTEGER NOT NULL DEFAULT 0,
    available_at TEXT NOT NULL,
    lease_owner TEXT,
    lease_until TEXT,
    last_error TEXT,
    result TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (kind, key)
  );
  CREATE INDEX outbox_due ON outbox(kind, status, available_at);
  CREATE TABLE leases (
    key TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    until TEXT NOT NULL
  );
  `,
  // 5: quality-assurance grades of records (append-only; the latest per record and auditor counts)
  `
  CREATE TABLE qa_grades (
    id TEXT PRIMARY KEY,
    record_id TEXT NOT NULL,
    relationship_id TEXT NOT NULL REFERENCES relationships(id),
    auditor_id TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('challenge','support','maintain','promote')),
    comment TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX qa_grades_relationship ON qa_grades(relationship_id, at);
  CREATE INDEX qa_grades_auditor ON qa_grades(auditor_id, record_id);
  `,
  // 6: Graph change detection (tenant mode): change notification subscriptions; per person, the calendarView delta cursor and pending change marks
  `
  CREATE TABLE graph_subscriptions (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    resource TEXT NOT NULL,
    client_state_hash TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active','renew','removed')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX graph_subscriptions_person ON graph_subscriptions(person_id);
  CREATE TABLE graph_delta (
    person_id TEXT PRIMARY KEY,
    delta_link TEXT,
    window_start TEXT,
    window_end TEXT,
    synced_at TEXT,
    notified_at TEXT,
    sync_requested_at TEXT
  );
  `,
  // 7 (issue #14): a relationship's school (Lingfield counts per school); when a session was cancelled, so "rebooked immediately" (South Glos) runs from the cancellation, not the session date
  `
  ALTER TABLE sessions ADD COLUMN cancelled_at TEXT;
  ALTER TABLE relationships ADD COLUMN unit TEXT;
  `,
  // 8 (issue #20, people change): a person who left the people group stays readable (records keep their names) but is no longer listed
  `
  ALTER TABLE people ADD COLUMN left_on TEXT;
  `,
  // 9 (issue #16): relationship timelines: each relationship's next wake-up (a change or a due time), leased while one instance handles it
  `
  CREATE TABLE timeline (
    relationship_id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    reason TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until TEXT
  );
  CREATE INDEX timeline_at ON timeline(at);
  CREATE INDEX ledger_kind_at ON ledger(kind, at);
  `,
  // 10 (issue #21): the person's Teams user id (29:…) on their conversation reference, for card refresh.userIds
  `
  ALTER TABLE conversation_refs ADD COLUMN teams_user_id TEXT;
  `,
  // 11 (issue #18): shared session agendas (text written once; ticks in their own columns) and each person's private notes on a session
  `
  CREATE TABLE agenda_items (
    id TEXT PRIMARY KEY,
    relationship_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    body TEXT NOT NULL,
    discussed_in TEXT,
    discussed_at TEXT,
    discussed_by TEXT
  );
  CREATE INDEX agenda_items_relationship ON agenda_items(relationship_id);
  CREATE TABLE private_notes (
    session_id TEXT NOT NULL,
    author_id TEXT NOT NULL,
    relationship_id TEXT NOT NULL,
    text TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (session_id, author_id)
  );
  CREATE INDEX private_notes_author ON private_notes(author_id);
  `,
];
