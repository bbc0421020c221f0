// Versioned schema migrations, applied in order on open. Never edit a shipped migration: add one.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'dialogue store',
    sql: `
      CREATE TABLE ingest_batches (
        id VARCHAR PRIMARY KEY,
        started_at TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ,
        status VARCHAR NOT NULL,           -- running | done | failed
        sources JSON NOT NULL,             -- [{path, format}]
        loaded INTEGER NOT NULL DEFAULT 0,
        customers INTEGER NOT NULL DEFAULT 0,
        duplicates INTEGER NOT NULL DEFAULT 0,
        quarantined INTEGER NOT NULL DEFAULT 0,
        redacted JSON NOT NULL DEFAULT '{}'
      );
      CREATE TABLE dialogues (
        id VARCHAR PRIMARY KEY,
        channel VARCHAR NOT NULL,
        customer_id VARCHAR,
        language VARCHAR NOT NULL,
        started_at VARCHAR,                -- ISO text as received, so the local offset survives
        started_ts TIMESTAMPTZ,            -- the same instant, for windows and ranges
        source VARCHAR NOT NULL,
        intent VARCHAR,                    -- metadata.intent, lifted out for filters
        resolved BOOLEAN,
        escalated BOOLEAN,
        csat TINYINT,
        metadata JSON,
        turn_count INTEGER NOT NULL,
        content_hash VARCHAR NOT NULL,     -- hash of the stored document, to tell conflicting re-ingests
        batch_id VARCHAR NOT NULL
      );
      CREATE TABLE turns (
        dialogue_id VARCHAR NOT NULL,
        seq INTEGER NOT NULL,
        role VARCHAR NOT NULL,
        text VARCHAR NOT NULL,
        sent_at VARCHAR,
        agent_kind VARCHAR,
        name VARCHAR
      );
      CREATE TABLE customers (
        id VARCHAR PRIMARY KEY,
        name VARCHAR,
        tier VARCHAR NOT NULL,
        language VARCHAR,
        since DATE,
        content_hash VARCHAR NOT NULL,
        batch_id VARCHAR NOT NULL
      );
      CREATE TABLE purchases (
        customer_id VARCHAR NOT NULL,
        seq INTEGER NOT NULL,
        product VARCHAR NOT NULL,
        category VARCHAR,
        purchased_at DATE NOT NULL,
        warranty_months INTEGER NOT NULL,
        order_id VARCHAR,
        price DOUBLE
      );
      CREATE TABLE quarantine (
        batch_id VARCHAR NOT NULL,
        file VARCHAR NOT NULL,
        line INTEGER NOT NULL,
        reason VARCHAR NOT NULL,
        raw VARCHAR NOT NULL,
        quarantined_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 2,
    name: 'labeling',
    sql: `
      CREATE TABLE labels (
        dialogue_id VARCHAR NOT NULL,
        reviewer VARCHAR NOT NULL,
        status VARCHAR NOT NULL,           -- draft | submitted
        version INTEGER NOT NULL,
        schema_version INTEGER NOT NULL,
        intent VARCHAR,
        fcr VARCHAR,
        accuracy VARCHAR,
        tone TINYINT,
        tone_tags JSON NOT NULL,
        escalation_needed VARCHAR,
        escalated VARCHAR,
        reference_answer VARCHAR NOT NULL,
        required_facts JSON NOT NULL,
        notes VARCHAR NOT NULL,
        turn_flags JSON NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (dialogue_id, reviewer)
      );
      CREATE TABLE gold_labels (
        dialogue_id VARCHAR PRIMARY KEY,
        decided_by VARCHAR NOT NULL,
        source VARCHAR NOT NULL,           -- single | consensus | adjudication | import
        schema_version INTEGER NOT NULL,
        intent VARCHAR,
        fcr VARCHAR,
        accuracy VARCHAR,
        tone TINYINT,
        tone_tags JSON NOT NULL,
        escalation_needed VARCHAR,
        escalated VARCHAR,
        reference_answer VARCHAR NOT NULL,
        required_facts JSON NOT NULL,
        notes VARCHAR NOT NULL,
        turn_flags JSON NOT NULL,
        decided_at TIMESTAMPTZ NOT NULL
      );
      CREATE TABLE label_skips (dialogue_id VARCHAR NOT NULL, reviewer VARCHAR NOT NULL, skipped_at TIMESTAMPTZ NOT NULL);
      CREATE TABLE api_keys (
        id VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        role VARCHAR NOT NULL,
        key_hash VARCHAR NOT NULL UNIQUE,  -- sha256 of the key; the key itself is never stored
        created_at TIMESTAMPTZ NOT NULL,
        revoked_at TIMESTAMPTZ
      );
      CREATE TABLE intents (key VARCHAR PRIMARY KEY, created_by VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL);
      CREATE TABLE settings (key VARCHAR PRIMARY KEY, value JSON NOT NULL, updated_by VARCHAR, updated_at TIMESTAMPTZ NOT NULL);
      CREATE TABLE fcr_estimates (
        dialogue_id VARCHAR PRIMARY KEY,
        value VARCHAR NOT NULL,            -- yes | no | unclear
        reason VARCHAR NOT NULL,
        repeat_dialogue_id VARCHAR,
        window_days INTEGER NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'lookup indexes',
    sql: `
      CREATE INDEX turns_dialogue ON turns (dialogue_id);
      CREATE INDEX purchases_customer ON purchases (customer_id);
    `,
  },
  {
    version: 4,
    name: 'eval suites and runs',
    sql: `
      CREATE TABLE suites (
        name VARCHAR NOT NULL,
        version INTEGER NOT NULL,
        hash VARCHAR NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        split VARCHAR NOT NULL,
        filters JSON NOT NULL,
        label_schema_version INTEGER NOT NULL,
        n_cases INTEGER NOT NULL,
        cases JSON NOT NULL,
        PRIMARY KEY (name, version)
      );
      CREATE TABLE eval_runs (
        id VARCHAR PRIMARY KEY,
        suite_name VARCHAR NOT NULL,
        suite_version INTEGER NOT NULL,
        suite_hash VARCHAR NOT NULL,
        candidate_name VARCHAR NOT NULL,
        candidate_hash VARCHAR NOT NULL,
        candidate JSON NOT NULL,            -- spec and template as run
        model VARCHAR NOT NULL,
        judge VARCHAR,
        repeat INTEGER NOT NULL,
        scorers JSON NOT NULL,
        status VARCHAR NOT NULL,            -- running | done | failed
        started_at TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ,
        summary JSON
      );
      CREATE TABLE eval_results (
        run_id VARCHAR NOT NULL,
        case_id VARCHAR NOT NULL,
        trial INTEGER NOT NULL,
        output VARCHAR,
        handoff_queue VARCHAR,
        error VARCHAR,
        attempts INTEGER NOT NULL,
        latency_ms DOUBLE,
        input_tokens INTEGER,
        output_tokens INTEGER,
        cached BOOLEAN NOT NULL,
        scores JSON NOT NULL,               -- {name: {score, pass, reason}}
        created_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (run_id, case_id, trial)
      );
      CREATE TABLE dialogue_scores (
        dialogue_id VARCHAR NOT NULL,
        scorer VARCHAR NOT NULL,
        method VARCHAR NOT NULL,
        score DOUBLE NOT NULL,
        pass BOOLEAN NOT NULL,
        reason VARCHAR NOT NULL,
        scored_at TIMESTAMPTZ NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'promoted configs',
    sql: `
      CREATE TABLE config_versions (
        id VARCHAR PRIMARY KEY,             -- cfg-<candidate hash>: one immutable version per candidate content
        candidate_name VARCHAR NOT NULL,
        candidate_hash VARCHAR NOT NULL UNIQUE,
        model VARCHAR NOT NULL,
        config JSON NOT NULL,               -- {template, model, params}
        created_at TIMESTAMPTZ NOT NULL,
        created_by VARCHAR NOT NULL
      );
      CREATE TABLE config_pointers (
        channel VARCHAR NOT NULL,
        label VARCHAR NOT NULL,             -- production | staging
        version_id VARCHAR NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL,
        updated_by VARCHAR NOT NULL,
        PRIMARY KEY (channel, label)
      );
      CREATE TABLE config_history (
        seq INTEGER NOT NULL,
        channel VARCHAR NOT NULL,
        label VARCHAR NOT NULL,
        action VARCHAR NOT NULL,            -- promote | rollback
        from_version VARCHAR,
        to_version VARCHAR NOT NULL,
        run_id VARCHAR,
        forced_reason VARCHAR,
        checks JSON,
        metrics JSON,
        changed_by VARCHAR NOT NULL,
        changed_at TIMESTAMPTZ NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'fine-tuning sets',
    sql: `
      CREATE TABLE finetune_sets (
        name VARCHAR NOT NULL,
        version INTEGER NOT NULL,
        format VARCHAR NOT NULL,
        hash VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        path VARCHAR NOT NULL,
        card JSON NOT NULL,
        PRIMARY KEY (name, version)
      );
    `,
  },
  {
    version: 7,
    name: 'production dialogue owners',
    sql: `
      -- Who started each dialogue logged by the answer endpoints: only that key, on that channel,
      -- may continue it.
      CREATE TABLE production_dialogue_owners (
        dialogue_id VARCHAR PRIMARY KEY,
        api_key_id VARCHAR NOT NULL,
        channel VARCHAR NOT NULL,
        started_at TIMESTAMPTZ NOT NULL
      );
    `,
  },
  {
    version: 8,
    name: 'learned scorers, label csat, intent names',
    sql: `
      -- Label schema v2: the reviewer's estimate of the customer's satisfaction (1-5).
      ALTER TABLE labels ADD COLUMN csat TINYINT;
      ALTER TABLE gold_labels ADD COLUMN csat TINYINT;
      -- Display names of an intent per UI language: {"zh": "…", "en": "…"}.
      ALTER TABLE intents ADD COLUMN names JSON;
      -- Learned whole-dialogue scorers fitted on this store (firstcall scorers fit); immutable versions.
      CREATE TABLE scorer_models (
        id VARCHAR PRIMARY KEY,             -- <language>-<target>-v<version>
        target VARCHAR NOT NULL,            -- fcr | csat | tone
        language VARCHAR NOT NULL,
        version INTEGER NOT NULL,
        data_sha256 VARCHAR NOT NULL,       -- hash of the training labels and texts
        labels INTEGER NOT NULL,
        warm_start VARCHAR,                 -- the model it was fine-tuned from (builtin or an id)
        model JSON NOT NULL,                -- the learned-scorer file (server/learn/learned-model.ts)
        card JSON NOT NULL,                 -- counts, cross-validated agreement, baselines, what it replaced
        created_at TIMESTAMPTZ NOT NULL,
        UNIQUE (target, language, version)
      );
    `,
  },
  {
    version: 9,
    name: 'scenario sets and conversation runs',
    sql: `
      -- Frozen, versioned scenario sets for simulated conversations (firstcall scenarios build).
      CREATE TABLE scenario_sets (
        name VARCHAR NOT NULL,
        version INTEGER NOT NULL,
        hash VARCHAR NOT NULL,              -- sha256 over the scenarios' canonical JSON (scenarioSetHash)
        created_at TIMESTAMPTZ NOT NULL,
        n_scenarios INTEGER NOT NULL,
        scenarios JSON NOT NULL,
        PRIMARY KEY (name, version)
      );
      -- Conversation runs sit beside reply runs: suite_* then name the scenario set.
      ALTER TABLE eval_runs ADD COLUMN kind VARCHAR DEFAULT 'reply';
      -- How a conversation run was made: {simulator, trials, max_turns, seed}.
      ALTER TABLE eval_runs ADD COLUMN conversation JSON;
      CREATE TABLE conversation_results (
        run_id VARCHAR NOT NULL,
        scenario_id VARCHAR NOT NULL,
        trial INTEGER NOT NULL,
        language VARCHAR NOT NULL,
        intent VARCHAR NOT NULL,
        transcript JSON NOT NULL,           -- {turns, tool_calls, customer_events, ended, warnings}
        final_state JSON NOT NULL,
        state_diff JSON NOT NULL,
        expected JSON NOT NULL,             -- the scenario's expectation
        judgement JSON NOT NULL,
        error VARCHAR,
        created_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (run_id, scenario_id, trial)
      );
    `,
  },
  {
    version: 10,
    name: 'intents for every dialogue, candidate topics',
    sql: `
      -- Intent classifiers fitted on this store (firstcall intents fit); immutable versions per language.
      CREATE TABLE intent_models (
        id VARCHAR PRIMARY KEY,             -- intents-<language>-v<version>
        language VARCHAR NOT NULL,
        version INTEGER NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        labels JSON NOT NULL,               -- the intents it knows, with their training counts
        model JSON NOT NULL,                -- server/insights/intent-classifier.ts IntentModelFile
        card JSON NOT NULL,                 -- cross-validated accuracy and macro-F1 next to the majority class
        UNIQUE (language, version)
      );
      -- One intent per dialogue, with where it came from: label | metadata | topic | classifier.
      CREATE TABLE dialogue_intents (
        dialogue_id VARCHAR PRIMARY KEY,
        intent VARCHAR,                     -- null: the classifier was below the confidence threshold
        confidence DOUBLE NOT NULL,
        source VARCHAR NOT NULL,
        model_id VARCHAR,
        assigned_at TIMESTAMPTZ NOT NULL
      );
      -- Candidate new intents clustered from the dialogues no known intent covers (firstcall intents discover).
      CREATE TABLE topics (
        id VARCHAR PRIMARY KEY,
        language VARCHAR NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        size INTEGER NOT NULL,
        key_terms JSON NOT NULL,            -- [{term, score}]
        examples JSON NOT NULL,             -- [{dialogue_id, text}]
        members JSON NOT NULL,              -- every member dialogue id (naming the topic labels them)
        status VARCHAR NOT NULL,            -- candidate | named | dismissed
        named_intent VARCHAR
      );
    `,
  },
  {
    version: 11,
    name: 'insight alerts and webhook deliveries',
    sql: `
      -- Early-warning alerts (firstcall insights): one per (kind, intent, topic, product, date), so a
      -- rerun updates the figures instead of adding a twin; acknowledging keeps the row.
      CREATE TABLE alerts (
        id VARCHAR PRIMARY KEY,
        kind VARCHAR NOT NULL,              -- spike | new_topic | fcr_drop | csat_drop
        intent VARCHAR,
        topic VARCHAR,
        product VARCHAR,
        date DATE NOT NULL,                 -- the day (spike, new_topic) or the week's Monday (drops)
        observed DOUBLE NOT NULL,
        expected DOUBLE NOT NULL,
        p_value DOUBLE NOT NULL,
        details JSON NOT NULL,
        example_ids JSON NOT NULL,
        status VARCHAR NOT NULL DEFAULT 'open', -- open | acknowledged
        created_at TIMESTAMPTZ NOT NULL,
        acknowledged_by VARCHAR,
        acknowledged_at TIMESTAMPTZ,
        identity VARCHAR NOT NULL UNIQUE    -- kind|intent|topic|product|date
      );
      -- Each attempt to send an alert to the webhook, with its answer.
      CREATE TABLE alert_deliveries (
        alert_id VARCHAR NOT NULL,
        attempt INTEGER NOT NULL,
        url VARCHAR NOT NULL,
        format VARCHAR NOT NULL,            -- json | slack | wecom
        status INTEGER,                     -- HTTP status; null when the request failed
        error VARCHAR,
        ok BOOLEAN NOT NULL,
        sent_at TIMESTAMPTZ NOT NULL
      );
    `,
  },
  {
    version: 12,
    name: 'where a run came from',
    sql: `
      -- firstcall (its own runner) or a tool whose results were imported (firstcall import promptfoo).
      ALTER TABLE eval_runs ADD COLUMN source VARCHAR DEFAULT 'firstcall';
      -- For an imported run: the tool's version, its eval id, the file and the provider it came from.
      ALTER TABLE eval_runs ADD COLUMN source_detail JSON;
    `,
  },
  {
    version: 13,
    name: 'dialogues frozen in suites',
    sql: `
      -- One row per dialogue of each suite version (written with the suite), so that whether a dialogue
      -- is frozen is a lookup, not a parse of every suite's cases (each production continuation asks).
      CREATE TABLE suite_dialogues (suite VARCHAR NOT NULL, version INTEGER NOT NULL, dialogue_id VARCHAR NOT NULL);
      INSERT INTO suite_dialogues
        SELECT DISTINCT name, version, unnest(from_json(cases, '[{"dialogue_id":"VARCHAR"}]')).dialogue_id FROM suites;
      CREATE INDEX suite_dialogues_dialogue ON suite_dialogues (dialogue_id);
    `,
  },
  {
    version: 14,
    name: 'labels by dialogue',
    sql: `
      -- Whether a dialogue has a label is a lookup too: the primary key (dialogue, reviewer) cannot
      -- answer it by dialogue alone, and without this index each production continuation's check read
      -- the whole table (13 ms a statement with 200k labels; 3 ms with it).
      CREATE INDEX labels_dialogue ON labels (dialogue_id);
    `,
  },
];
