-- The seed of the canonical model: the eight tables, their columns and constraints, that the canonical schemas
-- (schemas/canonical/*.schema.json) must keep — same names, same order, marked `x-seed` — as
-- schemas/CANONICAL.md describes. test/schemas/seed.test.ts reads this file and checks every schema against it.
--
-- Origin: the "Canonical Data Schema (SQL Schema Format)" section of the project's seed document
-- (canonical-schema-seed.md), from which the project started; these statements are copied from it verbatim.
-- The rest of that document (a mapping table and notes on strategy, since superseded by the code and
-- docs/architecture.md) is not kept. This file is the contract's record: change it only with the schemas.

CREATE TABLE Project (
    project_id VARCHAR PRIMARY KEY,
    project_key VARCHAR UNIQUE NOT NULL,
    name VARCHAR NOT NULL,
    description TEXT,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE Folder (
    folder_id BIGINT PRIMARY KEY,
    project_id VARCHAR REFERENCES Project(project_id),
    parent_folder_id BIGINT REFERENCES Folder(folder_id),
    name VARCHAR NOT NULL,
    type VARCHAR CHECK(type IN ('TEST_CASE', 'TEST_PLAN', 'TEST_CYCLE')),
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE TestCase (
    test_case_id BIGINT PRIMARY KEY,
    project_id VARCHAR REFERENCES Project(project_id),
    folder_id BIGINT REFERENCES Folder(folder_id),
    key VARCHAR UNIQUE NOT NULL,
    name VARCHAR NOT NULL,
    objective TEXT,
    precondition TEXT,
    estimated_time_ms BIGINT,
    priority VARCHAR,
    status VARCHAR,
    owner_id VARCHAR,
    created_on TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE TestStep (
    step_id BIGINT PRIMARY KEY,
    test_case_id BIGINT REFERENCES TestCase(test_case_id),
    step_order INT NOT NULL,
    description TEXT NOT NULL,
    expected_result TEXT,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE TestCycle (
    test_cycle_id BIGINT PRIMARY KEY,
    project_id VARCHAR REFERENCES Project(project_id),
    folder_id BIGINT REFERENCES Folder(folder_id),
    key VARCHAR UNIQUE NOT NULL,
    name VARCHAR NOT NULL,
    description TEXT,
    planned_start_date TIMESTAMP,
    planned_end_date TIMESTAMP,
    status VARCHAR,
    owner_id VARCHAR,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE TestExecution (
    execution_id BIGINT PRIMARY KEY,
    test_cycle_id BIGINT REFERENCES TestCycle(test_cycle_id),
    test_case_id BIGINT REFERENCES TestCase(test_case_id),
    status VARCHAR NOT NULL,
    executed_by_id VARCHAR,
    assigned_to_id VARCHAR,
    execution_time_ms BIGINT,
    actual_end_date TIMESTAMP,
    environment VARCHAR,
    comment TEXT,
    automated BOOLEAN DEFAULT FALSE,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE CustomField (
    custom_field_id SERIAL PRIMARY KEY,
    object_type VARCHAR CHECK(object_type IN ('TestCase', 'TestCycle', 'TestExecution')),
    object_id BIGINT NOT NULL,
    field_name VARCHAR NOT NULL,
    field_value TEXT,
    UNIQUE(object_type, object_id, field_name)
);

CREATE TABLE Attachment (
    attachment_id SERIAL PRIMARY KEY,
    related_type VARCHAR CHECK(related_type IN ('TestCase', 'TestExecution', 'TestStep')),
    related_id BIGINT NOT NULL,
    attachment_name VARCHAR NOT NULL,
    attachment_blob BYTEA,
    attachment_url VARCHAR,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
