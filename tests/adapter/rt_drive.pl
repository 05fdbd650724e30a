#!/usr/bin/perl
# Drives a real Request Tracker 5 (Debian's request-tracker5) through RT's
# own Perl API, for tests/adapter/request_tracker_real_test.sh: tickets
# created on the web and by the mail gateway, replies by staff and by
# requestors, comments, status changes, custom field changes, a merge.
#
# Time is the test's: RT stamps every record with Perl's time() or gmtime(),
# which this script replaces by a clock it sets before each step, so that the events
# have known instants (UTC).
#
# usage: rt_drive.pl setup|before|after   (RT_SITE_CONFIG names the config)
# Each phase dies, naming the step, when RT refuses one.
use strict;
use warnings;

our $now;
BEGIN {
    my $clock = sub { defined $now ? $now : CORE::time() };
    *CORE::GLOBAL::time = sub () { $clock->() };
    *CORE::GLOBAL::gmtime = sub (;$) { CORE::gmtime(@_ ? $_[0] : $clock->()) };
    *CORE::GLOBAL::localtime = sub (;$) { CORE::localtime(@_ ? $_[0] : $clock->()) };
}
use lib '/usr/share/request-tracker5/lib';
use RT;
use Time::Local qw(timegm);

RT::LoadConfig();
RT::Init();

# at 'YYYY-MM-DD HH:MM': RT's clock from now on (UTC).
sub at {
    my ($y, $m, $d, $h, $min) = $_[0] =~ /^(\d+)-(\d+)-(\d+) (\d+):(\d+)$/
        or die "bad instant $_[0]";
    $now = timegm(0, $min, $h, $d, $m - 1, $y);
}

# ok STEP, RESULT...: RT's (status, message) pairs; dies on a refusal.
sub ok {
    my ($step, $ok, $msg) = @_;
    die "$step: " . ($msg // 'failed') . "\n" unless $ok;
    return $ok;
}

sub user {
    my $user = RT::User->new(RT->SystemUser);
    $user->Load($_[0]) or die "no user $_[0]\n";
    return RT::CurrentUser->new($user);
}

# ticket USER, ID: the ticket as USER sees it.
sub ticket {
    my ($as, $id) = @_;
    my $ticket = RT::Ticket->new(user($as));
    $ticket->Load($id) or die "no ticket $id\n";
    return $ticket;
}

sub cf_id {
    my $cf = RT::CustomField->new(RT->SystemUser);
    $cf->LoadByName(Name => $_[0], LookupType => RT::Ticket->CustomFieldLookupType)
        or die "no custom field $_[0]\n";
    return $cf->id;
}

# create USER, FIELDS, ARGS...: a ticket created on the web by USER, with the
# custom fields FIELDS (name => value) given at creation; returns its id.
sub create {
    my ($as, $fields, %args) = @_;
    my $ticket = RT::Ticket->new(user($as));
    my ($id, undef, $msg) = $ticket->Create(
        Queue => 'General', Requestor => 'carol@acme.example',
        (map { ('CustomField-' . cf_id($_) => $fields->{$_}) } keys %$fields), %args);
    die "create $args{Subject}: $msg\n" unless $id;
    return $id;
}

sub correspond { ok("correspond on $_[1]", ticket(@_[0, 1])->Correspond(Content => $_[2])) }
sub comment { ok("comment on $_[1]", ticket(@_[0, 1])->Comment(Content => $_[2])) }
sub status { ok("status $_[2] on $_[1]", ticket(@_[0, 1])->SetStatus($_[2])) }
sub field {
    my ($as, $id, $name, $value) = @_;
    ok("$name on $id", ticket($as, $id)->AddCustomFieldValue(Field => cf_id($name), Value => $value));
}

# mail FROM, SUBJECT: a ticket created by RT's mail gateway (what
# rt-mailgate hands to RT's web server); returns its id.
sub mail {
    my ($from, $subject) = @_;
    my $message = "From: $from\nTo: rt\@slamon.test\nSubject: $subject\n"
        . "Message-ID: <" . $now . "\@acme.example>\n\nOur backups stopped.\n";
    my ($status, $msg, $ticket) = RT::Interface::Email::Gateway(
        { message => $message, queue => 'General', action => 'correspond' });
    die "mail gateway: $msg\n" unless $status == 1 && $ticket && $ticket->id;
    return $ticket->id;
}

my $phase = shift // '';
if ($phase eq 'setup') {
    at('2026-10-01 08:00');
    my $system = RT->SystemUser;
    for (['alice', 'alice@vendor.example', 1], ['bob', 'bob@vendor.example', 1],
         ['carol', 'carol@acme.example', 0]) {
        my $user = RT::User->new($system);
        ok("user $_->[0]", $user->Create(Name => $_->[0], EmailAddress => $_->[1],
                                         Privileged => $_->[2]));
        ok("superuser $_->[0]", $user->PrincipalObj->GrantRight(
            Right => 'SuperUser', Object => RT->System)) if $_->[2];
    }
    # Requestors may open tickets, reply, and fill in the fields on the form.
    my $everyone = RT::Group->new($system);
    $everyone->LoadSystemInternalGroup('Everyone');
    for my $right (qw(CreateTicket ReplyToTicket ShowTicket SeeQueue SeeCustomField
                      ModifyCustomField SetInitialCustomField)) {
        ok("right $right", $everyone->PrincipalObj->GrantRight(Right => $right,
                                                               Object => RT->System));
    }
    my $queue = RT::Queue->new($system);
    $queue->Load('General') or die "no queue General\n";
    for my $name (qw(Partner Severity Incidents Product Version Workaround Defect)) {
        my $cf = RT::CustomField->new($system);
        ok("custom field $name", $cf->Create(
            Name => $name, Type => 'Freeform', MaxValues => 1,
            LookupType => RT::Ticket->CustomFieldLookupType));
        ok("custom field $name on General", $cf->AddToObject($queue));
    }
}
elsif ($phase eq 'before') {
    # RT-1: on the web, severity A; the requestor's reply, a comment, then
    # the staff's (RT opens the ticket); stalled a day; a long Workaround
    # (LargeContent); resolved; the requestor's reply reopens it (RT's scrip).
    at('2026-11-02 09:00');
    create('carol', { Partner => 'p1', Severity => 'A', Product => 'backup', Version => '24.1' },
           Subject => 'restore fails');
    at('2026-11-02 09:30'); correspond('carol', 1, 'Any news?');
    at('2026-11-02 10:00'); comment('alice', 1, 'Looks like the agent.');
    at('2026-11-02 10:15'); correspond('alice', 1, 'We are on it.');
    at('2026-11-02 11:00'); correspond('bob', 1, 'Please send the logs.');
    at('2026-11-02 12:00'); status('alice', 1, 'stalled');
    at('2026-11-03 12:00'); status('alice', 1, 'open');
    at('2026-11-03 13:00');
    field('alice', 1, 'Workaround', 'Restart the agent with --safe, then ' . ('retry the restore. ' x 15));
    at('2026-11-04 09:00'); status('alice', 1, 'resolved');
    at('2026-11-05 09:00'); correspond('carol', 1, 'It failed again.');
    # RT-2: severity C, re-classified B an hour later.
    at('2026-11-09 08:00');
    create('carol', { Partner => 'p1', Severity => 'C', Incidents => '2', Product => 'backup',
                      Version => '24.1' }, Subject => 'slow backup');
    at('2026-11-09 09:00'); field('alice', 2, 'Severity', 'B');
    # RT-3: internal, no Partner: not watched.
    at('2026-11-09 09:00');
    create('alice', { Severity => 'A' }, Subject => 'renew certificate');
    at('2026-11-09 09:10'); correspond('bob', 3, 'Done.');
    at('2026-11-09 10:00'); status('bob', 3, 'resolved');
}
elsif ($phase eq 'after') {
    at('2026-11-05 10:00'); status('alice', 1, 'stalled');
    at('2026-11-06 10:00'); status('alice', 1, 'resolved');
    at('2026-11-09 10:00'); field('alice', 2, 'Incidents', '3');
    at('2026-11-09 11:00'); correspond('alice', 2, 'Fixed in the next build.');
    at('2026-11-09 12:00'); status('alice', 2, 'stalled');
    at('2026-11-09 13:00'); field('bob', 2, 'Defect', 'confirmed');
    # RT-4: a phone call logged as solved: created resolved.
    at('2026-11-10 09:00');
    create('alice', { Partner => 'p1', Severity => 'C', Product => 'backup', Version => '24.1' },
           Subject => 'licence question (phone)', Status => 'resolved');
    # RT-5 rejected; RT-6 deleted.
    at('2026-11-10 10:00');
    create('carol', { Partner => 'p1', Severity => 'D' }, Subject => 'feature wish');
    at('2026-11-10 10:30');
    create('carol', { Partner => 'p2', Severity => 'D' }, Subject => 'spam');
    at('2026-11-10 11:00'); status('alice', 5, 'rejected');
    at('2026-11-10 11:30'); status('alice', 6, 'deleted');
    # RT-8 duplicates RT-7 and is merged into it: RT-8 closes, RT-7 runs on.
    at('2026-11-11 09:00');
    create('carol', { Partner => 'p1', Severity => 'B' }, Subject => 'agent crash');
    at('2026-11-11 09:30');
    create('carol', { Partner => 'p1', Severity => 'B' }, Subject => 'agent crash again');
    at('2026-11-11 10:00');
    ok('merge 8 into 7', ticket('alice', 8)->MergeInto(7));
    # RT-9 by mail, without custom fields; answered at once, triaged later:
    # Partner, then Severity C; re-classified A the next day.
    at('2026-11-12 09:00');
    my $id = mail('dave@acme.example', 'backups stopped');
    die "the mail ticket is $id, want 9\n" unless $id == 9;
    at('2026-11-12 09:20'); correspond('alice', 9, 'Looking into it.');
    at('2026-11-12 09:30'); field('alice', 9, 'Partner', 'p1');
    at('2026-11-12 09:31'); field('alice', 9, 'Severity', 'C');
    at('2026-11-12 10:00'); correspond('bob', 9, 'Which version?');
    at('2026-11-13 08:00'); field('alice', 9, 'Severity', 'A');
}
else {
    die "usage: rt_drive.pl setup|before|after\n";
}
