-- The part of Request Tracker 5's PostgreSQL schema (etc/schema.Pg) that the
-- slamon adapter reads, for its test: same table names, column names and
-- types, only the columns used. RT's names are unquoted, so PostgreSQL folds
-- them to lower case (transactions.objectid), as in a real RT database.
-- Users is not read by the adapter; it is here so that the test's history
-- reads like RT's.

CREATE SEQUENCE tickets_id_seq;
CREATE TABLE Tickets (
  id INTEGER DEFAULT nextval('tickets_id_seq'),
  EffectiveId integer NOT NULL DEFAULT 0,
  Queue integer NOT NULL DEFAULT 0,
  Subject varchar(200) NULL DEFAULT '[no subject]',
  Status varchar(64) NULL,
  Creator integer NOT NULL DEFAULT 0,
  Created TIMESTAMP NULL,
  PRIMARY KEY (id)
);

CREATE SEQUENCE users_id_seq;
CREATE TABLE Users (
  id INTEGER DEFAULT nextval('users_id_seq'),
  Name varchar(200) NOT NULL,
  EmailAddress varchar(120) NULL,
  Organization varchar(200) NULL,
  PRIMARY KEY (id)
);

-- The event log of every RT object. For tickets: ObjectType 'RT::Ticket',
-- ObjectId the ticket. Created is UTC, without time zone.
CREATE SEQUENCE transactions_id_seq;
CREATE TABLE Transactions (
  id INTEGER DEFAULT nextval('transactions_id_seq'),
  ObjectType varchar(255) NOT NULL,
  ObjectId integer NOT NULL DEFAULT 0,
  Type varchar(20) NULL,
  Field varchar(40) NULL,
  OldValue varchar(255) NULL,
  NewValue varchar(255) NULL,
  ReferenceType varchar(255) NULL,
  OldReference integer NULL,
  NewReference integer NULL,
  Creator integer NOT NULL DEFAULT 0,
  Created TIMESTAMP NULL,
  PRIMARY KEY (id)
);
CREATE INDEX Transactions1 ON Transactions (ObjectType, ObjectId);

CREATE SEQUENCE customfields_id_seq;
CREATE TABLE CustomFields (
  id INTEGER DEFAULT nextval('customfields_id_seq'),
  Name varchar(200) NULL,
  Type varchar(200) NULL,
  MaxValues integer NOT NULL DEFAULT 0,
  LookupType varchar(255) NOT NULL,
  Disabled integer NOT NULL DEFAULT 0,
  PRIMARY KEY (id)
);

-- Every value a custom field ever had on an object: a replaced value is not
-- deleted but disabled (Disabled = 1).
CREATE SEQUENCE objectcustomfieldvalues_id_s;
CREATE TABLE ObjectCustomFieldValues (
  id INTEGER DEFAULT nextval('objectcustomfieldvalues_id_s'),
  CustomField int NOT NULL,
  ObjectType varchar(255) NULL,
  ObjectId int NOT NULL,
  Content varchar(255) NULL,
  LargeContent text NULL,
  ContentType varchar(80) NULL,
  ContentEncoding varchar(80) NULL,
  Creator integer NOT NULL DEFAULT 0,
  Created TIMESTAMP NULL,
  Disabled integer NOT NULL DEFAULT 0,
  PRIMARY KEY (id)
);
CREATE INDEX ObjectCustomFieldValues1 ON ObjectCustomFieldValues (CustomField, ObjectType, ObjectId, Content);
CREATE INDEX ObjectCustomFieldValues2 ON ObjectCustomFieldValues (CustomField, ObjectType, ObjectId);

-- Groups and their direct members; a user's id is its principal id.
CREATE SEQUENCE groups_id_seq;
CREATE TABLE Groups (
  id INTEGER DEFAULT nextval('groups_id_seq'),
  Name varchar(200) NULL,
  Domain varchar(64),
  Instance integer,
  PRIMARY KEY (id)
);

CREATE SEQUENCE groupmembers_id_seq;
CREATE TABLE GroupMembers (
  id INTEGER DEFAULT nextval('groupmembers_id_seq'),
  GroupId integer NOT NULL DEFAULT 0,
  MemberId integer NOT NULL DEFAULT 0,
  PRIMARY KEY (id)
);
CREATE UNIQUE INDEX GroupMembers1 ON GroupMembers (GroupId, MemberId);
