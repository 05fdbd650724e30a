-- Demo data for `bash scripts/demo.sh`, relative to now() so that clocks are
-- about to turn at risk and to breach while you watch.
-- globex's contract says `credit: paid` (schema version 2): a new defect
-- waives a billable incident instead of raising its limit.
INSERT INTO slamon.partners (id, name, contract_signed_at, timezone, policy, credit) VALUES
  ('acme',    'ACME Systems GmbH', now() - interval '630 days', 'Europe/Berlin',    'default', 'quota'),
  ('globex',  'Globex Inc.',       now() - interval '12 days',  'America/New_York', 'default', 'paid'),
  ('initech', 'Initech K.K.',      now() - interval '380 days', 'Asia/Tokyo',       'premium', 'quota');

INSERT INTO slamon.certifications (partner_id, employee, passed_at) VALUES
  ('acme', 'anna', now() - interval '300 days'),
  ('acme', 'bernd', now() - interval '460 days'),
  ('globex', 'gina', now() - interval '50 days'),
  ('initech', 'ito', now() - interval '530 days'),
  ('initech', 'kato', now() - interval '200 days');

INSERT INTO slamon.releases (product, version, released_at) VALUES
  ('backup', '23.1', now() - interval '780 days'),
  ('backup', '23.2', now() - interval '630 days'),
  ('backup', '24.1', now() - interval '450 days'),
  ('backup', '24.2', now() - interval '150 days'),
  ('backup', '25.1', now() + interval '20 days');

-- ticket, opened how long ago, partner, severity, incidents, version
INSERT INTO slamon.ticket_events (ticket_id, at, kind, partner_id, severity, incidents, product, version)
SELECT t, now() - ago, 'opened', p, s, n, 'backup', v FROM (VALUES
  ('D-100', interval '3 hours 58 minutes', 'acme',    'A', 1, '24.2'),  -- response due in 2 min
  ('D-101', interval '3 hours 50 minutes', 'acme',    'B', 2, '24.2'),  -- response due in 10 min
  ('D-102', interval '7 hours 55 minutes', 'globex',  'C', 1, '24.1'),  -- response due in 5 min
  ('D-103', interval '5 hours',            'acme',    'A', 1, '24.2'),  -- responded late
  ('D-109', interval '4 hours 30 minutes', 'globex',  'A', 1, '24.2'),  -- response breached
  ('D-104', interval '1 hour 58 minutes',  'initech', 'A', 3, '24.2'),  -- premium: 2 h response
  ('D-105', interval '2 days',             'globex',  'D', 1, '24.2'),  -- next release
  ('D-106', interval '20 days',            'acme',    'B', 1, '24.2'),
  ('D-107', interval '1 day',              'acme',    'C', 1, '23.2'),  -- outdated version
  ('D-108', interval '3 days',             'initech', 'B', 18, '24.2')
) AS d(t, ago, p, s, n, v);

INSERT INTO slamon.ticket_events (ticket_id, at, kind, severity) VALUES
  ('D-103', now() - interval '30 minutes', 'responded', NULL),
  ('D-105', now() - interval '2 days' + interval '3 hours', 'responded', NULL),
  ('D-106', now() - interval '20 days' + interval '1 hour', 'responded', NULL),
  ('D-106', now() - interval '19 days', 'workaround', NULL),
  ('D-106', now() - interval '2 days', 'waiting', NULL),
  ('D-108', now() - interval '3 days' + interval '1 hour', 'responded', NULL),
  ('D-108', now() - interval '2 days', 'new_defect', NULL);
