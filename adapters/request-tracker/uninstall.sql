-- Removes the slamon adapter for Request Tracker: the trigger on RT's
-- Transactions, then schema slamon_rt (views, functions, settings). The
-- events already in slamon.ticket_events stay. Installing view.sql again
-- later copies the events of the transactions RT recorded meanwhile.
--
--   psql -v ON_ERROR_STOP=1 -d rt5 -f uninstall.sql
--   (-v rt_schema=rt when RT's tables are not in schema public)

\if :{?rt_schema}
\else
\set rt_schema public
\endif

BEGIN;
SET LOCAL search_path = :"rt_schema", pg_temp;
DROP TRIGGER IF EXISTS slamon_feed ON Transactions;
DROP SCHEMA IF EXISTS slamon_rt CASCADE;
COMMIT;
