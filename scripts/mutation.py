"""Mutation testing of the security-relevant modules (``make mutation``).

For each target below, mutmut (3.x) makes small changes to one module, one at a
time, and runs a focused selection of tests against each; a change no test
notices ("survivor") is either a missing test or a change that cannot matter.
The run is not part of ``make test``: it takes minutes of both cores.

mutmut expects the code to mutate under ``src/`` or the project root, named by
its import path, while this repository keeps the library in ``pyipernity/``. So
each target gets a staging folder ``build/mutation/<target>/`` holding
``src/ipernity``, ``src/flask_ipernity``, ``tests/`` and a ``pyproject.toml``
that tells mutmut which file to change and which tests to run. Its workers
fork from a process that only collected the tests, never from the one that ran
them (whose leftovers, such as the embedded sandbox, would fail tests).

Usage::

    python scripts/mutation.py                 # every target
    python scripts/mutation.py signing cache   # some of them
    python scripts/mutation.py --jobs 1        # fewer parallel test runs

It prints each target's counts and survivors, and exits non-zero when a survivor
is neither killed nor listed in :data:`ACCEPTED` with the reason it cannot matter.

Survivors accepted, and why, are listed in :data:`ACCEPTED`: a codec name in
other case, ``usedforsecurity`` (no digest changes), a longer hash or random
id, another spelling of a cache key or of a constant name that every side
agrees on, checks made unreachable by those before them, sequence numbers
that keep their order, one more (stricter) decoding round of ``next``, header
names in another case, URL pieces a call's URL never has, defaults no caller
uses.

mutmut runs a mutant against the tests it saw call the mutated function, and
sees a call only in the test's own process, while the test runs. Two kinds of
call escape it: a thread's loop (the deadline watchdog's ``_run``, started by
whichever test first watched a call, then running for every later one), and
code run in another process, a forked child (the watchdog's ``reset``) or a
program a test starts (the watchdog's ``add``, which starts a daemon thread
there). A target's ``run_by`` names such functions, each with the functions
or tests that do run it: before testing, the script has mutmut collect its
stats (a run for a glob no mutant matches), then adds to each such function's
tests those of the functions named and the tests named (a node id, or a file
for all of its tests), so that its mutants are tested at all, and by the tests
that can notice them.

Mutant names number the changes within one function: when a module changes,
the names in :data:`ACCEPTED` must be reviewed (the run prints each survivor,
accepted or not, with its status).

Figures (issue 15), survivors / mutants; "none" counts mutants that no selected
test reached. "Before": the code and tests as they were when the issue was
filed. "Rebased": after the cache, login and storage changes merged meanwhile,
with this issue's first tests. "After": with all of this issue's tests (every
survivor left is in :data:`ACCEPTED`).

=============  =================  ================  ==========
target         before             rebased           after
=============  =================  ================  ==========
signing        5 / 47             5 / 47            5 / 47
permissions    1 / 43             1 / 43            1 / 43
cache          19 / 69, 18 none   32 / 132          8 / 132
redirects      5 / 41             4 / 41            4 / 41
login_state    16 / 95            22 / 142          11 / 142
storage        0 / 88, 79 none    32 / 147          9 / 147
callback       46 / 141           59 / 158          1 / 161
=============  =================  ================  ==========

Since the signed records' shared part moved from ``login_state.py`` to
``pending.py`` (mutated with it; OAuth's pending logins use it too),
login_state is 10 / 139.

A whole run of those targets takes about six minutes of both cores.

Figures (issue 22), survivors / mutants. "Before": the first run of each
target, workers forking from a clean process (for redirects and login_state:
the code as it was when the issue began, ``safe_next`` refusing the
extension's routes). "After": with this issue's tests, and for redirects
``next`` judged without its dot segments (every survivor left is in
:data:`ACCEPTED`). Minutes: one target alone, ``--jobs 1``, on a busy
2-core machine. Forking from the process that had run the tests, the first
runs had counted 19 of oauth's survivors, 3 of oauth_state's and 12 of
csrf's as killed.

=============  ============  ============  =======
target         before        after         minutes
=============  ============  ============  =======
oauth          46 / 284      13 / 284      5.9
oauth_state    4 / 97        1 / 97        1.0
csrf           17 / 86       12 / 86       2.6
redirects      21 / 86       7 / 100       1.1
login_state    10 / 139      10 / 139      2.1
backup_run     69 / 913      19 / 913      75
backup_disk    48 / 442      20 / 455      80
=============  ============  ============  =======

Figures (issue 22, transport and deadline), survivors / mutants. "First": the
first run on this branch, with the tests written for these targets until then
(workers forking from the process that ran the tests: main's forkserver
isolation came later). No run of the code as it was before the issue was
made. "After": not measured by a whole run for lack of time: every survivor
of the first run is either killed by a test added since (each checked by
making the change by hand and seeing the test fail) or in :data:`ACCEPTED`,
but for the three listed below. Minutes: one target alone, ``--jobs 1``, on
the busy 2-core machine.

=============  =======================  =======
target         first                    minutes
=============  =======================  =======
deadline       40 / 261                 38
transport      49 / 545 (109 unrun)     33, stopped
=============  =======================  =======

Then a whole transport run with forkserver workers, ``--jobs 2`` on the quiet
machine, after ``_exchange`` was reshaped (failures raised outside the except
clause): 33 / 664 in 31 minutes, every survivor in :data:`ACCEPTED`
(``_send_once``'s 33 is now killed by
``test_transport_compat.py::test_a_huge_answer_to_an_uploads_do_request_keeps_the_calls_parameters``;
``_exchange``'s 35 became its 37, accepted as the race it is).

And a whole deadline run with forkserver workers, ``--jobs 2`` on the quiet
machine: 38 / 266 in 24 minutes. 37 are in :data:`ACCEPTED`, six of them new
(``_WatchedHTTPSConnection._new_conn``'s 5 to 10: the arguments of the error a
connection made past the deadline raises). The last, ``_new_conn``'s 4 (a TLS
connection made outside any call failing, as it has no watch), is killed
since: the blocking-pool tests now require the connection held outside the
call to have been made and cut by the server (checked with the mutant applied).

Deadline: 9 killed since (``_new_conn``'s 4, 8, 10 and 11, ``_shut``'s 14,
``watch_answer``'s 6, ``add``'s 21, 24 and 27; ``_new_conn`` has changed,
so its mutants are numbered anew), 31 accepted. Transport: 16 killed since
(``merge_environment_settings``' 1, 5, 7, 8, 9; ``filter``'s 5 and 6, the
function rewritten since; ``new_session``'s 14, 15; ``_send_once``'s 46;
``_exchange``'s 28; ``_read_body``'s 16, 26, 27; ``_too_large``'s 5, 10),
31 accepted, 2 left: ``_send_once``'s 33 (a direct 0.3 ``do_request``
upload whose answer is too large loses its parameters: no test yet) and
``_exchange``'s 35 (a connect timeout at the deadline reported as late only
once the watchdog has fired too: a race no test pins yet). Not run: 45 of
``_request``, 29 of ``_exchange``, 28 of ``Transport.__init__``, 7 of
``_within``.

The backup targets ran with workers forking from the process that had run the
tests (before the forkserver above), resuming mutmut's cache as tests were
added, with a 15 s pytest timeout instead of 60 s (a hung mutant costs 15 s).
backup_disk "before": its first run, with the tests the backup's rewrite came
with; its "after" counts the mutants of ``same_text`` and ``_json_bytes``
(the album file fix). backup_run's first run was stopped with 368 mutants
unchecked (89 survivors among 545); "before" is its first complete count,
with the first tests of this issue. backup_run's survivors and 15 of its
killed mutants drawn at random were checked again with forkserver workers;
backup_disk's last 5 survivors and 15 of its killed mutants likewise: 2 of
those 15 survive with forkserver workers (``_made_folder__mutmut_10``,
``prepare__mutmut_30``), so fork-mode kills over-count, and backup_disk needs
a whole run with forkserver workers. Not accepted yet: those 2, and
backup_run's ``_album_content__mutmut_27`` (an album's pages asked two at a
time), which its test kills run alone but not under mutmut. Minutes:
mutmut's time for all the mutants, ``--jobs 1``, machine busy with another
mutation run.

Then whole runs of both with forkserver workers, ``--jobs 2`` on the quiet
machine. backup_disk: 86 / 455 (and 2 timeouts, counted killed) in 29
minutes; the fork-mode runs had found 20, counting 66 survivors as killed.
68 are in :data:`ACCEPTED` (Windows-only branches, ``None`` for ``False``,
the probe file, flushes only a power cut shows, races between opening a
folder and using it). The other 18 are killed since, each checked with its
mutant applied: a file where a folder goes, use before ``open`` or
``prepare``, closing twice and holding nothing open after, a member's own
folder keeping its mode, the folders above a new directory, ``.incoming``
swapped for a link while a file is written, ``same_text`` reading no more than
the text, and exact messages for a read-only disk, a full disk mid-write and
a directory that is a file (``test_directory.py``, ``test_safety.py``).
``_made_folder``'s 10 is killed by ``test_directory.py``'s folder removed as
soon as it is made; ``prepare``'s 30 is the probe's flush.

backup_run (after the manifest began recording each original's size as saved,
which added ``_vouched`` and renumbered ``_save_document``'s accepted flushes
to 88, 91 and 92): 29 / 936 in 66 minutes. 22 are in :data:`ACCEPTED`; the
other 7 are killed since, each checked with its mutant applied:
``_reuse``'s 8 and 21 and ``_vouched``'s 10 to 14, by
``test_document_answers.py`` (a replaced, renamed document whose new file
fails keeps its old copy; a file a stopped run placed, and a renamed
document, are kept without a download when no answer gives a size).
``_album_content``'s 27 is killed; its test now waits long enough for a
second request on a busy machine.

Whole forkserver runs, ``--jobs 2``, quiet machine (survivors / mutants):

=============  ============  ==============  ========  =======
target         survivors     killed since    accepted  minutes
=============  ============  ==============  ========  =======
transport      33 / 664      0               33        31
deadline       38 / 266      1               37        24
backup_disk    86 / 455      18              68        29
backup_run     29 / 936      7               22        66
=============  ============  ==============  ========  =======
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGING = ROOT / "build" / "mutation"

#: Where each package's source lives in this repository, and under ``src/`` in staging.
SOURCES = {"ipernity": ROOT / "pyipernity" / "ipernity", "flask_ipernity": ROOT / "flask_ipernity"}


@dataclass(frozen=True)
class Target:
    """One module (or package) to mutate and the tests that guard it."""

    #: Paths under ``src/`` that mutmut changes (globs allowed).
    files: tuple[str, ...]
    #: The test files (or node ids) run against each mutant.
    tests: tuple[str, ...]
    #: Only mutants whose name matches this glob (``None``: all of the files').
    names: str | None = None
    #: Functions whose runs mutmut cannot credit to the tests that cause them, by
    #: name (``module.xǁClassǁmethod``), with the functions or tests (node ids, or
    #: files for all of theirs) that do run them: mutmut credits a thread's loop
    #: to the one test that started the thread, and never sees a forked child.
    run_by: dict[str, tuple[str, ...]] = field(default_factory=dict)

    #: Node ids of the test files above left out: slow, and guarding nothing the rest do not.
    deselect: tuple[str, ...] = ()


# Shell runs stopped while files take seconds each: the backup() after them is
# what could see a mutant, and the faster tests of test_safety.py run the same.
_SLOW_SHELL_RUNS = (
    "tests/backup/test_safety.py::test_ctrl_c_leaves_only_whole_files_and_the_next_run_carries_on",
    "tests/backup/test_safety.py::test_after_a_crash_the_next_run_keeps_the_whole_files_and_fetches_the_rest",
)

TARGETS: dict[str, Target] = {
    "signing": Target(
        files=("ipernity/signing.py",),
        tests=(
            "tests/library/test_signing.py",
            "tests/library/test_signing_foreign.py",
            "tests/library/test_masking.py",
            "tests/sandbox/test_authorization.py",
        ),
    ),
    "permissions": Target(
        files=("ipernity/permissions.py",),
        tests=("tests/library/test_permissions.py", "tests/sandbox/test_authorization.py"),
    ),
    "cache": Target(
        files=("ipernity/cache.py",),
        tests=(
            "tests/library/test_cache_store.py",
            "tests/library/test_cache_readonly.py",
            "tests/library/test_cache_sharing.py",
            "tests/library/test_client_live.py",
            "tests/flask/test_ext_cache.py",
            "tests/flask/test_ext_cache_frob_replay.py",
            "tests/flask/test_ext_media_privacy.py",
            "tests/scale/test_caching.py",
            "tests/scale/test_redis_store_text.py",
        ),
    ),
    "redirects": Target(
        files=("flask_ipernity/redirects.py",),
        tests=(
            "tests/flask/test_ext_next.py",
            "tests/flask/test_ext_next_bounds.py",
            "tests/flask/test_ext_login_required.py",
        ),
    ),
    "login_state": Target(
        files=("flask_ipernity/login_state.py", "flask_ipernity/pending.py"),
        tests=(
            "tests/flask/test_ext_pending_logins.py",
            "tests/flask/test_ext_login_flow.py",
            "tests/flask/test_ext_login_csrf.py",
            "tests/flask/test_ext_callback_failures.py",
            "tests/flask/test_ext_storage.py",
            "tests/flask/test_ext_next.py",
        ),
    ),
    "storage": Target(
        files=("flask_ipernity/storage/*",),
        tests=(
            "tests/flask/test_ext_storage.py",
            "tests/flask/test_ext_logout.py",
            "tests/flask/test_ext_login_flow.py",
            "tests/scale/test_redis_storage.py",
            "tests/scale/test_redis_outage.py",
            "tests/scale/test_logout_everywhere.py",
            "tests/scale/test_redis_storage_edges.py",
        ),
    ),
    "callback": Target(
        files=("flask_ipernity/views.py",),
        tests=(
            "tests/flask/test_ext_login_flow.py",
            "tests/flask/test_ext_login_csrf.py",
            "tests/flask/test_ext_callback_failures.py",
            "tests/flask/test_ext_callback_answers.py",
            "tests/flask/test_ext_next.py",
            "tests/flask/test_ext_compat.py",
        ),
        names="flask_ipernity.views.x_callback__mutmut_*",
    ),
    "transport": Target(
        files=("ipernity/transport.py",),
        tests=(
            "tests/library/test_transport_errors.py",
            "tests/library/test_transport_retries.py",
            "tests/library/test_transport_requests.py",
            "tests/library/test_transport_compat.py",
            "tests/library/test_transport_limits.py",
            "tests/library/test_hostile_servers.py",
            "tests/library/test_retries_4xx.py",
            "tests/library/test_masking.py",
            "tests/library/test_secrets_in_logs.py",
            "tests/library/test_compat_0_3.py",
            "tests/library/test_oauth.py",
            "tests/library/test_exceptions.py",
        ),
    ),
    "deadline": Target(
        files=("ipernity/deadline.py",),
        tests=(
            "tests/library/test_deadline_watchdog.py",
            "tests/library/test_transport_limits.py",
            "tests/library/test_transport_errors.py",
            "tests/library/test_transport_requests.py",
            "tests/library/test_hostile_servers.py",
            "tests/backup/test_trickled_download.py",
        ),
        run_by={
            # The watchdog's loop, in its thread: every test that starts a watch runs it.
            "ipernity.deadline.xǁ_Watchdogǁ_run": ("ipernity.deadline.xǁ_Watchdogǁadd",),
            # Starting the thread (a daemon) is also done in a program of its own.
            "ipernity.deadline.xǁ_Watchdogǁadd": (
                "tests/library/test_deadline_watchdog.py"
                "::test_a_program_that_used_a_deadline_exits_at_once",
            ),
            # Run after a fork, in the child.
            "ipernity.deadline.xǁ_Watchdogǁreset": ("tests/library/test_deadline_watchdog.py",),
        },
    ),
    "backup_run": Target(
        files=("ipernity/backup/run.py",),
        tests=(
            "tests/backup/test_backup.py",
            "tests/backup/test_options.py",
            "tests/backup/test_failures.py",
            "tests/backup/test_limits.py",
            "tests/backup/test_progress.py",
            "tests/backup/test_hostile_service.py",
            "tests/backup/test_links.py",
            "tests/backup/test_permissions.py",
            "tests/backup/test_safety.py",
            "tests/backup/test_lock.py",
            "tests/backup/test_media_slow_down.py",
            "tests/backup/test_document_answers.py",
        ),
        deselect=_SLOW_SHELL_RUNS,
    ),
    "backup_disk": Target(
        files=("ipernity/backup/disk.py",),
        tests=(
            "tests/backup/test_layout.py",
            "tests/backup/test_links.py",
            "tests/backup/test_permissions.py",
            "tests/backup/test_safety.py",
            "tests/backup/test_limits.py",
            "tests/backup/test_trickled_download.py",
            "tests/backup/test_backup.py",
            "tests/backup/test_failures.py",
            "tests/backup/test_lock.py",
            "tests/backup/test_directory.py",
        ),
        deselect=_SLOW_SHELL_RUNS,
    ),
    "oauth": Target(
        files=("ipernity/oauth.py",),
        tests=(
            "tests/library/test_oauth.py",
            "tests/library/test_oauth_retries.py",
            "tests/library/test_masking.py",
            "tests/library/test_secrets_in_logs.py",
            "tests/library/test_hostile_servers.py",
            "tests/sandbox/test_oauth.py",
            "tests/flask/test_ext_oauth.py",
        ),
    ),
    "oauth_state": Target(
        files=("flask_ipernity/oauth_state.py",),
        tests=("tests/flask/test_ext_oauth.py", "tests/flask/test_ext_oauth_claims.py"),
    ),
    "csrf": Target(
        files=("flask_ipernity/csrf.py",),
        tests=(
            "tests/flask/test_ext_login_csrf.py",
            "tests/flask/test_ext_callback_confirmation.py",
            "tests/flask/test_ext_logout.py",
            "tests/flask/test_ext_oauth.py",
        ),
    ),
}

_SAME_CODEC = "the codec name's case does not change the codec"
_LONGER = "a longer hash or random id is as unique; only its length changes"
_SAME_KEY_TEXT = "another spelling of the same call gives every call its own key all the same"
_STATE = (
    "the state only makes each signed record unique (with the sequence, it stays so); "
    "it is never read back"
)
_NAME_ONLY = "renames a constant every reader and writer agree on, consistently"
_NO_DIGEST_CHANGE = "usedforsecurity changes no digest (it only matters on FIPS builds)"
_UNREACHABLE = "the checks before it already refuse every value with a scheme or host"
_NO_NOFOLLOW = "runs only where the os module has no O_NOFOLLOW (Windows)"
_READ_ERROR = (
    "md5 is asked only of a file size() has just found regular: what is left to fail is "
    "reading it, which only a failing disk does (EIO), and this names its path and cause"
)
_NOT_FLUSHED = (
    "only whether the file is flushed to the disk (fsync) changes, which a power cut alone "
    "shows; a metadata or album file a power cut empties or cuts short is written again by "
    "the next run"
)
_EXACT_FLOAT = "an interval exactly equal to the limit, to the float, is never observed"
_WAIT_ALL = (
    "waiting for every document instead of the first error: the failing task sets stop "
    "first, so every other one returns at its next check, and the error is raised the same"
)
_RUN_THREAD_NAME = "only the names of the run's threads change, which nothing reads"
_NO_CANCEL = (
    "the queued documents are not cancelled but run: stop is set, so each raises Stopped at "
    "its first check and returns unrecorded, without a request"
)
_NO_WAIT = (
    "the executor's with-block waits for its threads as the error leaves it anyway; stop is "
    "set, so a download in progress gives up unrecorded, and a document finishing meanwhile "
    "misses only the manifest saved while stopping: the next run finds its file by its md5"
)
_SAME_PREFIX = "only the pieces after the first separator change, and the call keeps the first"
_PLAIN_URL = (
    "a call's URL holds no fragment, whitespace or second '?' (its query is "
    "percent-encoded), and oauthlib leaves the query and fragment out of the base "
    "string URI anyway"
)
_PREPARED = "requests sets a prepared request's method and URL before it calls the auth"
_HEADER_CASE = "request headers are looked up without regard to the case of their name"

_AS_FALSE = "None is as false as False, and the flag is only ever tested for truth"
_COMPACTION = (
    "changes only when ended watches are compacted away (sooner, or a few entries later): "
    "no live watch is ever dropped, and the queue stays bounded by the live ones"
)
_THREAD_NAME = "the watchdog thread's name, seen only in a thread dump"
_FRESH_ANSWER = (
    "an answer with a connection is urllib3's, just past its headers: its http.client answer "
    "and that answer's socket file are all there (the defaults guard other shapes of answer)"
)
_PARAMS_REPLACED = (
    "only ever raised under IpernityAPI.call, which replaces every APIRequestError's params "
    "with the caller's own (masked): the parameters passed here are never seen"
)
_NO_CODE = "an error answer without a code: error_for reads None as 0, the default's value"
_ANSWER_HEADER_CASE = "requests looks an answer's headers up without regard to their names' case"
_HOST_POOLS = (
    "how many hosts' pools the session keeps (4, 5 or requests' 10) only decides whether a "
    "connection to a fifth host is kept for later: no call's result changes"
)
_BODY_POSTS = "a call with a multipart body is posted whatever post says: _request checks it first"
_SAME_SOCKET = (
    "while the connection holds its socket, the answer's socket is that same one: recording "
    "it only has the watchdog shut one socket twice (the second shutdown's error is ignored)"
)
_WINDOWS_JUNCTION = (
    "st_file_attributes exists only on Windows: elsewhere the reparse-point test is false "
    "whatever it is changed to"
)
_HAS_DIR_FD = "where os has dir_fd (every system the tests run on) the condition is already true"
_NO_DIR_FD_BRANCH = "runs only where os has no dir_fd (Windows): elsewhere every folder is open"
_FSYNC_ONLY = (
    "only whether a file is flushed to the disk (fsync) before its rename changes: what a "
    "power cut alone shows, and no test can cut the power"
)
_PROBE = (
    "the probe is written to see that a file can be written, then removed at once "
    "(keep=False): its name and content are never read, and flushing it only takes longer"
)
_MODE_SET_AFTER = (
    "a folder made with the default mode is set private just after, before anything is "
    "written in it: the mode given to mkdir only closes that instant"
)
_LISTED_BY_PATH = (
    "listing .incoming by its path instead of its descriptor differs only if the folder is "
    "swapped for a link meanwhile; even then each .part name listed is removed through the "
    "descriptor, in the folder the run opened"
)
_CHMOD_BY_PATH = (
    "setting a new folder's mode by its path instead of its descriptor differs only if the "
    "folder is swapped for a link in the instant between its opening and its chmod"
)
_FAILING_DISK = (
    "the run's own .part files in the folder it holds open: listing or removing them fails "
    "only on a failing disk (EIO), which no test can make"
)
_OPENING_NAMED = (
    "opening the file is already one clear error naming it (_open_file's own): what is left "
    "to fail is reading it, which only a failing disk does (EIO)"
)

_LATE_CONNECTION_TEXT = (
    "only the arguments of the error a connection made past the deadline raises change: "
    "urllib3 and requests tell it by its type alone, and the call's RequestTimeout says "
    "it in its own words (which the tests check)"
)

#: Survivors that cannot matter, by mutant name, with the reason.
ACCEPTED: dict[str, str] = {
    "ipernity.signing.x_is_valid_signature__mutmut_8": (
        "a missing api_sig defaulting to 'XXXX' instead of '' is still never 32 hex digits"
    ),
    "ipernity.signing.x_signature__mutmut_8": _NO_DIGEST_CHANGE,
    "ipernity.signing.x_signature__mutmut_10": _NO_DIGEST_CHANGE,
    "ipernity.signing.x_signature__mutmut_16": _NO_DIGEST_CHANGE,
    "ipernity.signing.x_signature__mutmut_15": _SAME_CODEC,
    "ipernity.permissions.x_rank__mutmut_5": (
        "only the separator of the levels listed in the message changes; tests hold the "
        "message by the level refused"
    ),
    "flask_ipernity.redirects.x__is_local_path__mutmut_16": _UNREACHABLE,
    "flask_ipernity.redirects.x__is_local_path__mutmut_17": _UNREACHABLE,
    "flask_ipernity.redirects.x_current_path__mutmut_7": _SAME_CODEC,
    "flask_ipernity.redirects.x_safe_next__mutmut_8": (
        "one more decoding round is only stricter; three already cover what browsers decode"
    ),
    "flask_ipernity.redirects.x_is_extension_route__mutmut_15": (
        "unreachable: with a request, Flask always makes a URL adapter"
    ),
    "flask_ipernity.redirects.x_is_extension_route__mutmut_22": (
        "werkzeug upper-cases the method it matches"
    ),
    "flask_ipernity.redirects.x_is_extension_route__mutmut_39": (
        "a view without a module: any default but the package's name reads as not ours"
    ),
    # The response cache.
    "ipernity.cache.x__digest__mutmut_4": _SAME_CODEC,
    "ipernity.cache.x__digest__mutmut_5": _LONGER,
    "ipernity.cache.xǁRedisStoreǁget__mutmut_11": _SAME_CODEC,
    "ipernity.cache.xǁRedisStoreǁset__mutmut_19": _SAME_CODEC,
    "ipernity.cache.xǁResponseCacheǁidentity__mutmut_8": _NAME_ONLY,
    "ipernity.cache.xǁResponseCacheǁkey__mutmut_3": _SAME_KEY_TEXT,
    "ipernity.cache.xǁResponseCacheǁkey__mutmut_5": _SAME_KEY_TEXT,
    "ipernity.cache.xǁResponseCacheǁkey__mutmut_7": _SAME_KEY_TEXT,
    # Pending logins.
    "flask_ipernity.login_state.x__decode__mutmut_5": _STATE,
    "flask_ipernity.login_state.x__decode__mutmut_17": _STATE,
    "flask_ipernity.login_state.xǁPendingLoginsǁstart__mutmut_11": _STATE,
    "flask_ipernity.login_state.xǁPendingLoginsǁstart__mutmut_21": _LONGER,
    "flask_ipernity.login_state.xǁPendingLoginsǁstart__mutmut_22": _LONGER,
    "flask_ipernity.login_state.x__decode__mutmut_36": (
        "a record without a sequence (older release) counting as 1 instead of 0 still "
        "comes before every login started since, whose sequence is one more than the largest"
    ),
    "flask_ipernity.login_state.xǁPendingLoginsǁstart__mutmut_8": (
        "sequences starting at 2 instead of 1 keep their order"
    ),
    "flask_ipernity.login_state.xǁPendingLoginsǁstart__mutmut_9": (
        "sequences stepping by 2 instead of 1 keep their order"
    ),
    "flask_ipernity.pending.xǁSignedRecordsǁ_is_live__mutmut_3": (
        "an age exactly equal to the timeout, to the float, is never observed"
    ),
    "flask_ipernity.pending.xǁSignedRecordsǁ_serializer__mutmut_6": (
        "the fallback for an application without a secret key, which cannot have a "
        "session to keep pending logins in at all"
    ),
    # Token storage on Redis.
    "flask_ipernity.storage.redis.x__member_tag__mutmut_11": _NAME_ONLY,
    "flask_ipernity.storage.redis.x__member_tag__mutmut_13": _LONGER,
    "flask_ipernity.storage.redis.x__text__mutmut_1": (
        "bytes written as their repr are compared with the same repr: the same decision"
    ),
    "flask_ipernity.storage.redis.x__text__mutmut_5": _NAME_ONLY,
    "flask_ipernity.storage.redis.xǁRedisStorageǁ_load__mutmut_6": (
        "a visitor id holds one dot (token_urlsafe has none): partition and rpartition agree"
    ),
    "flask_ipernity.storage.redis.xǁRedisStorageǁ_load__mutmut_9": (
        "a transaction around two reads changes no result, only how Redis runs them"
    ),
    "flask_ipernity.storage.redis.xǁRedisStorageǁ_load__mutmut_10": (
        "a transaction around two reads changes no result, only how Redis runs them"
    ),
    "flask_ipernity.storage.redis.xǁRedisStorageǁset__mutmut_4": _LONGER,
    "flask_ipernity.storage.redis.xǁRedisStorageǁset__mutmut_5": _LONGER,
    # The login callback.
    "flask_ipernity.views.x_callback__mutmut_55": (
        "store_token=None is as false as False: the token is not kept in that one-off client"
    ),
    # Deadlines.
    "ipernity.deadline.x__shut__mutmut_6": (
        "every connection shut has a sock attribute (None until it connects): the default "
        "is never used"
    ),
    "ipernity.deadline.xǁDeadlineǁpassed__mutmut_1": (
        "a clock reading exactly equal to the expiry, to the float, is never observed"
    ),
    "ipernity.deadline.xǁWatchǁ__enter____mutmut_8": (
        "queued at a time already past, the watch is popped at once and queued again at its "
        "deadline (the watchdog's check of the time left): one more wake-up, no other change"
    ),
    "ipernity.deadline.xǁWatchǁ__init____mutmut_3": _AS_FALSE,
    "ipernity.deadline.xǁWatchǁ__init____mutmut_4": (
        "__enter__ sets the watch active before anything can read it"
    ),
    "ipernity.deadline.xǁWatchǁ__init____mutmut_5": _AS_FALSE,
    "ipernity.deadline.xǁWatchǁend__mutmut_1": _AS_FALSE,
    "ipernity.deadline.xǁWatchǁexpire__mutmut_8": (
        "watch() sets the owner of every connection before adding it: the default is never used"
    ),
    "ipernity.deadline.xǁ_Watchdogǁ_run__mutmut_13": (
        "a wait of exactly 0 s waits for nothing, then the loop goes on as before"
    ),
    "ipernity.deadline.xǁ_Watchdogǁadd__mutmut_1": _COMPACTION,
    "ipernity.deadline.xǁ_Watchdogǁadd__mutmut_2": _COMPACTION,
    "ipernity.deadline.xǁ_Watchdogǁadd__mutmut_4": _COMPACTION,
    "ipernity.deadline.xǁ_Watchdogǁadd__mutmut_5": _COMPACTION,
    "ipernity.deadline.xǁ_Watchdogǁadd__mutmut_9": _COMPACTION,
    "ipernity.deadline.xǁ_Watchdogǁadd__mutmut_10": _COMPACTION,
    "ipernity.deadline.xǁ_Watchdogǁremove__mutmut_1": _COMPACTION,
    "ipernity.deadline.xǁ_Watchdogǁremove__mutmut_3": _COMPACTION,
    "ipernity.deadline.xǁ_Watchdogǁadd__mutmut_20": _THREAD_NAME,
    "ipernity.deadline.xǁ_Watchdogǁadd__mutmut_23": _THREAD_NAME,
    "ipernity.deadline.xǁ_Watchdogǁadd__mutmut_25": _THREAD_NAME,
    "ipernity.deadline.xǁ_Watchdogǁadd__mutmut_26": _THREAD_NAME,
    "ipernity.deadline.x__socket_of__mutmut_6": _FRESH_ANSWER,
    "ipernity.deadline.x__socket_of__mutmut_11": _FRESH_ANSWER,
    "ipernity.deadline.x__socket_of__mutmut_20": _FRESH_ANSWER,
    "ipernity.deadline.x__socket_of__mutmut_25": _FRESH_ANSWER,
    "ipernity.deadline.xǁWatchǁwatch_answer__mutmut_10": _SAME_SOCKET,
    "ipernity.deadline.xǁWatchǁwatch_answer__mutmut_14": _SAME_SOCKET,
    "ipernity.deadline.xǁWatchǁwatch_answer__mutmut_15": _SAME_SOCKET,
    "ipernity.deadline.xǁWatchǁwatch_answer__mutmut_16": _SAME_SOCKET,
    "ipernity.deadline.xǁ_Watchdogǁreset__mutmut_6": _COMPACTION,
    "ipernity.deadline.xǁ_WatchedHTTPSConnectionǁ_new_conn__mutmut_5": _LATE_CONNECTION_TEXT,
    "ipernity.deadline.xǁ_WatchedHTTPSConnectionǁ_new_conn__mutmut_6": _LATE_CONNECTION_TEXT,
    "ipernity.deadline.xǁ_WatchedHTTPSConnectionǁ_new_conn__mutmut_7": _LATE_CONNECTION_TEXT,
    "ipernity.deadline.xǁ_WatchedHTTPSConnectionǁ_new_conn__mutmut_8": _LATE_CONNECTION_TEXT,
    "ipernity.deadline.xǁ_WatchedHTTPSConnectionǁ_new_conn__mutmut_9": _LATE_CONNECTION_TEXT,
    "ipernity.deadline.xǁ_WatchedHTTPSConnectionǁ_new_conn__mutmut_10": _LATE_CONNECTION_TEXT,
    "ipernity.deadline.xǁDeadlineAdapterǁproxy_manager_for__mutmut_4": (
        "requests asks for a proxy's manager without keyword arguments: none is lost"
    ),
    # Transport.
    "ipernity.transport.xǁTransportǁfetch__mutmut_9": _AS_FALSE,
    "ipernity.transport.x_parse_answer__mutmut_3": _PARAMS_REPLACED,
    "ipernity.transport.x_parse_answer__mutmut_9": _PARAMS_REPLACED,
    "ipernity.transport.x_parse_content__mutmut_21": _PARAMS_REPLACED,
    "ipernity.transport.x_parse_content__mutmut_61": _PARAMS_REPLACED,
    "ipernity.transport.x_parse_content__mutmut_65": _PARAMS_REPLACED,
    "ipernity.transport.x_parse_content__mutmut_13": (
        "how far into the answer to look for an HTML page is a guess: one byte more or less "
        "only renames a page whose <html starts at byte 508 (an HTML page, or not valid JSON)"
    ),
    "ipernity.transport.x_check_status__mutmut_10": _PARAMS_REPLACED,
    "ipernity.transport.x_check_status__mutmut_15": _PARAMS_REPLACED,
    "ipernity.transport.x_parse_content__mutmut_26": _PARAMS_REPLACED,
    "ipernity.transport.x_parse_content__mutmut_41": _PARAMS_REPLACED,
    "ipernity.transport.x_parse_content__mutmut_46": _PARAMS_REPLACED,
    "ipernity.transport.x_parse_content__mutmut_67": _NO_CODE,
    "ipernity.transport.x_parse_content__mutmut_69": _NO_CODE,
    "ipernity.transport.xǁTransportǁ_read_body__mutmut_8": _ANSWER_HEADER_CASE,
    "ipernity.transport.xǁTransportǁ_read_body__mutmut_9": _ANSWER_HEADER_CASE,
    "ipernity.transport.xǁTransportǁ_read_body__mutmut_10": (
        "no Content-Length and 'XXXX' are both not digits: the early refusal is skipped alike"
    ),
    "ipernity.transport.xǁTransportǁcall__mutmut_33": _PARAMS_REPLACED,
    "ipernity.transport.xǁTransportǁcall__mutmut_46": (
        "a retry's wait exactly equal, to the float, to the time the deadline leaves is "
        "never observed"
    ),
    "ipernity.transport.x_check_status__mutmut_31": _ANSWER_HEADER_CASE,
    "ipernity.transport.x_check_status__mutmut_32": _ANSWER_HEADER_CASE,
    "ipernity.transport.x_check_status__mutmut_33": (
        "no Retry-After and 'XXXX' both mean nothing: retry_after gives None for each"
    ),
    "ipernity.transport.xǁPooledSessionǁmerge_environment_settings__mutmut_16": (
        "requests passes the prepared request's URL, always a str: a bytes URL never comes"
    ),
    "ipernity.transport.xǁPooledSessionǁmerge_environment_settings__mutmut_19": (
        "requests always passes the request's URL: an empty one never comes"
    ),
    "ipernity.transport.x_new_session__mutmut_7": _HOST_POOLS,
    "ipernity.transport.x_new_session__mutmut_9": _HOST_POOLS,
    "ipernity.transport.xǁTransportǁ_send_once__mutmut_35": _BODY_POSTS,
    "ipernity.transport.xǁTransportǁ_send_once__mutmut_47": _BODY_POSTS,
    "ipernity.transport.xǁTransportǁ_exchange__mutmut_1": (
        "both of _exchange's callers pass check: the default is never used"
    ),
    "ipernity.transport.xǁTransportǁ_exchange__mutmut_21": _PARAMS_REPLACED,
    "ipernity.transport.xǁTransportǁ_exchange__mutmut_37": (
        "a failure at the deadline's instant: with 'and' it is still reported as late once the "
        "watchdog has fired, which it does at that instant; only the message's wording differs, "
        "in a race no test can pin"
    ),
    "ipernity.transport.xǁTransportǁ_request__mutmut_9": (
        "header names are case-insensitive: requests merges a request's headers so, and "
        "servers read them so"
    ),
    "ipernity.transport.xǁTransportǁ_request__mutmut_10": (
        "header names are case-insensitive: requests merges a request's headers so, and "
        "servers read them so"
    ),
    "ipernity.transport.x__cause__mutmut_6": (
        "an error without arguments has no text: any text without a marker names its class alike"
    ),
    # The backup directory.
    "ipernity.backup.disk.xǁBackupDirectoryǁ_open_file__mutmut_11": (
        "with O_NOFOLLOW the opening refuses a link anyway: looking with lstat first as well "
        "only adds a call"
    ),
    "ipernity.backup.disk.xǁBackupDirectoryǁ_open_file__mutmut_12": _NO_NOFOLLOW,
    "ipernity.backup.disk.xǁBackupDirectoryǁ_open_file__mutmut_13": _NO_NOFOLLOW,
    "ipernity.backup.disk.xǁBackupDirectoryǁ_open_file__mutmut_14": _NO_NOFOLLOW,
    "ipernity.backup.disk.xǁBackupDirectoryǁ_open_file__mutmut_15": _NO_NOFOLLOW,
    "ipernity.backup.disk.xǁBackupDirectoryǁ_open_file__mutmut_16": _NO_NOFOLLOW,
    "ipernity.backup.disk.xǁBackupDirectoryǁ_open_file__mutmut_17": _NO_NOFOLLOW,
    "ipernity.backup.disk.xǁBackupDirectoryǁmd5__mutmut_2": _NO_DIGEST_CHANGE,
    "ipernity.backup.disk.xǁBackupDirectoryǁmd5__mutmut_3": _NO_DIGEST_CHANGE,
    "ipernity.backup.disk.xǁBackupDirectoryǁmd5__mutmut_4": _READ_ERROR,
    "ipernity.backup.disk.xǁBackupDirectoryǁmd5__mutmut_5": _READ_ERROR,
    "ipernity.backup.disk.xǁBackupDirectoryǁmd5__mutmut_6": _READ_ERROR,
    "ipernity.backup.disk.xǁBackupDirectoryǁmd5__mutmut_7": _READ_ERROR,
    "ipernity.backup.disk.xǁBackupDirectoryǁmd5__mutmut_9": _READ_ERROR,
    "ipernity.backup.disk.xǁBackupDirectoryǁmd5__mutmut_10": _READ_ERROR,
    "ipernity.backup.disk.xǁBackupDirectoryǁread_json__mutmut_10": _SAME_CODEC,
    "ipernity.backup.disk.x__json_bytes__mutmut_5": (
        "ensure_ascii=None is as false as False: the text is written as it is"
    ),
    "ipernity.backup.disk.x__json_bytes__mutmut_13": _SAME_CODEC,
    "ipernity.backup.disk.x__is_link__mutmut_1": _WINDOWS_JUNCTION,
    "ipernity.backup.disk.x__is_link__mutmut_3": _WINDOWS_JUNCTION,
    "ipernity.backup.disk.x__is_link__mutmut_9": _WINDOWS_JUNCTION,
    "ipernity.backup.disk.x__is_link__mutmut_10": _WINDOWS_JUNCTION,
    "ipernity.backup.disk.x__is_link__mutmut_11": _WINDOWS_JUNCTION,
    "ipernity.backup.disk.x__is_link__mutmut_14": _WINDOWS_JUNCTION,
    "ipernity.backup.disk.x__lstat__mutmut_3": _AS_FALSE,
    "ipernity.backup.disk.xǁBackupDirectoryǁ_clear_incoming__mutmut_12": _AS_FALSE,
    "ipernity.backup.disk.xǁBackupDirectoryǁprepare__mutmut_5": _AS_FALSE,
    "ipernity.backup.disk.xǁBackupDirectoryǁprepare__mutmut_18": _AS_FALSE,
    "ipernity.backup.disk.xǁBackupDirectoryǁprepare__mutmut_19": _AS_FALSE,
    "ipernity.backup.disk.xǁBackupDirectoryǁ_open_folder__mutmut_11": _AS_FALSE,
    "ipernity.backup.disk.xǁBackupDirectoryǁopen__mutmut_3": _AS_FALSE,
    "ipernity.backup.disk.xǁBackupDirectoryǁwrite_json__mutmut_2": _FSYNC_ONLY,
    "ipernity.backup.disk.xǁBackupDirectoryǁwrite_json__mutmut_3": _FSYNC_ONLY,
    "ipernity.backup.disk.xǁBackupDirectoryǁprepare__mutmut_16": _PROBE,
    "ipernity.backup.disk.xǁBackupDirectoryǁprepare__mutmut_17": _PROBE,
    "ipernity.backup.disk.xǁBackupDirectoryǁprepare__mutmut_23": _PROBE,
    "ipernity.backup.disk.xǁBackupDirectoryǁprepare__mutmut_24": _PROBE,
    "ipernity.backup.disk.xǁBackupDirectoryǁprepare__mutmut_25": _PROBE,
    "ipernity.backup.disk.xǁBackupDirectoryǁprepare__mutmut_26": _PROBE,
    "ipernity.backup.disk.xǁBackupDirectoryǁprepare__mutmut_27": _PROBE,
    "ipernity.backup.disk.xǁBackupDirectoryǁprepare__mutmut_28": _PROBE,
    "ipernity.backup.disk.xǁBackupDirectoryǁ_open_folder__mutmut_20": _MODE_SET_AFTER,
    "ipernity.backup.disk.xǁBackupDirectoryǁopen__mutmut_14": _MODE_SET_AFTER,
    "ipernity.backup.disk.xǁBackupDirectoryǁ_clear_incoming__mutmut_5": _LISTED_BY_PATH,
    "ipernity.backup.disk.xǁBackupDirectoryǁ_clear_incoming__mutmut_7": _LISTED_BY_PATH,
    "ipernity.backup.disk.xǁBackupDirectoryǁ_clear_incoming__mutmut_6": _HAS_DIR_FD,
    "ipernity.backup.disk.xǁBackupDirectoryǁ_open_folder__mutmut_41": _HAS_DIR_FD,
    "ipernity.backup.disk.xǁBackupDirectoryǁopen__mutmut_29": _HAS_DIR_FD,
    "ipernity.backup.disk.xǁ_Folderǁat__mutmut_2": _NO_DIR_FD_BRANCH,
    "ipernity.backup.disk.xǁ_Folderǁat__mutmut_3": _NO_DIR_FD_BRANCH,
    "ipernity.backup.disk.xǁBackupDirectoryǁ_set_mode__mutmut_7": _NO_DIR_FD_BRANCH,
    "ipernity.backup.disk.xǁBackupDirectoryǁ_set_mode__mutmut_8": _NO_DIR_FD_BRANCH,
    "ipernity.backup.disk.xǁBackupDirectoryǁ_set_mode__mutmut_9": _NO_DIR_FD_BRANCH,
    "ipernity.backup.disk.xǁBackupDirectoryǁ_set_mode__mutmut_10": _NO_DIR_FD_BRANCH,
    "ipernity.backup.disk.xǁBackupDirectoryǁ_set_mode__mutmut_2": _CHMOD_BY_PATH,
    "ipernity.backup.disk.xǁBackupDirectoryǁ_clear_incoming__mutmut_2": _FAILING_DISK,
    "ipernity.backup.disk.xǁBackupDirectoryǁdiscard__mutmut_7": _FAILING_DISK,
    "ipernity.backup.disk.xǁBackupDirectoryǁdiscard__mutmut_8": _FAILING_DISK,
    "ipernity.backup.disk.xǁBackupDirectoryǁsame_text__mutmut_3": _OPENING_NAMED,
    "ipernity.backup.disk.xǁBackupDirectoryǁsame_text__mutmut_4": _OPENING_NAMED,
    "ipernity.backup.disk.xǁBackupDirectoryǁsame_text__mutmut_5": _OPENING_NAMED,
    "ipernity.backup.disk.xǁBackupDirectoryǁsame_text__mutmut_6": _OPENING_NAMED,
    "ipernity.backup.disk.xǁBackupDirectoryǁsame_text__mutmut_8": _OPENING_NAMED,
    "ipernity.backup.disk.xǁBackupDirectoryǁsame_text__mutmut_9": _OPENING_NAMED,
    "ipernity.backup.disk.xǁBackupDirectoryǁsame_text__mutmut_15": (
        "one byte more than the text already tells a longer file from it: two read one more"
    ),
    "ipernity.backup.disk.xǁBackupDirectoryǁopen__mutmut_20": (
        "the error's errno is never read: its message is"
    ),
    "ipernity.backup.disk.xǁ_Folderǁclose__mutmut_3": (
        "a folder is closed once: whoever closes it drops it (the directory's close, the end "
        "of the block that opened it)"
    ),
    "ipernity.backup.disk.xǁBackupDirectoryǁprepare__mutmut_30": (
        "the probe only shows a file can be written there and is removed at once: flushing "
        "it to the disk (fsync) only takes longer"
    ),
    # The backup run.
    "ipernity.backup.run.xǁ_Runǁ_save_document__mutmut_88": _NOT_FLUSHED,
    "ipernity.backup.run.xǁ_Runǁ_save_document__mutmut_48": (
        "without the API's size a copy is still judged by its md5 (and the size the manifest "
        "recorded, the same): only a file of another size is hashed before it is found different"
    ),
    "ipernity.backup.run.xǁ_Runǁ_to_download__mutmut_15": (
        "a copy of the same md5 is the same file: the size the manifest recorded for it is "
        "the size the listing gives, so checking the recorded one instead changes nothing"
    ),
    "ipernity.backup.run.xǁ_Runǁ_to_download__mutmut_24": (
        "a listing without an md5 read as 'XXXX' still matches no saved md5 (32 hex digits, "
        "or empty): the copy is not vouched for either way"
    ),
    "ipernity.backup.run.xǁ_Runǁ_reuse__mutmut_4": (
        "a copy of the same md5 is the same file: the size the manifest recorded for it is "
        "the size the API gives, so checking the recorded one instead changes nothing"
    ),
    "ipernity.backup.run.xǁ_Runǁ_save_document__mutmut_91": _NOT_FLUSHED,
    "ipernity.backup.run.xǁ_Runǁ_save_document__mutmut_92": _NOT_FLUSHED,
    "ipernity.backup.run.xǁ_Runǁ_save_albums__mutmut_35": _NOT_FLUSHED,
    "ipernity.backup.run.xǁ_Runǁ_save_albums__mutmut_38": _NOT_FLUSHED,
    "ipernity.backup.run.xǁ_Runǁ_save_albums__mutmut_39": _NOT_FLUSHED,
    "ipernity.backup.run.xǁ_Runǁ_save_and_record__mutmut_36": _EXACT_FLOAT,
    "ipernity.backup.run.xǁ_Runǁ_run__mutmut_56": _WAIT_ALL,
    "ipernity.backup.run.xǁ_Runǁ_run__mutmut_62": _NO_WAIT,
    "ipernity.backup.run.xǁ_Runǁ_run__mutmut_66": _NO_WAIT,
    "ipernity.backup.run.xǁ_Runǁrun__mutmut_18": _RUN_THREAD_NAME,
    "ipernity.backup.run.xǁ_Runǁrun__mutmut_20": _RUN_THREAD_NAME,
    "ipernity.backup.run.xǁ_Runǁrun__mutmut_21": _RUN_THREAD_NAME,
    "ipernity.backup.run.xǁ_Runǁrun__mutmut_22": _RUN_THREAD_NAME,
    "ipernity.backup.run.xǁ_Runǁ_run__mutmut_63": _NO_CANCEL,
    "ipernity.backup.run.xǁ_Runǁ_run__mutmut_64": "wait=True is shutdown's default",
    "ipernity.backup.run.xǁ_Runǁ_run__mutmut_65": _NO_CANCEL,
    "ipernity.backup.run.xǁ_Runǁ_run__mutmut_67": _NO_CANCEL,
    # OAuth signing and token steps.
    "ipernity.oauth.x__without_query__mutmut_4": _SAME_PREFIX,
    "ipernity.oauth.x__without_query__mutmut_9": _SAME_PREFIX,
    "ipernity.oauth.x__without_query__mutmut_12": _SAME_PREFIX,
    "ipernity.oauth.x__without_query__mutmut_15": _SAME_PREFIX,
    "ipernity.oauth.x__without_query__mutmut_1": _PLAIN_URL,
    "ipernity.oauth.x__without_query__mutmut_5": _PLAIN_URL,
    "ipernity.oauth.x__without_query__mutmut_10": _PLAIN_URL,
    "ipernity.oauth.x__without_query__mutmut_14": _PLAIN_URL,
    "ipernity.oauth.xǁCallSignerǁ__call____mutmut_27": _PREPARED,
    "ipernity.oauth.xǁCallSignerǁ__call____mutmut_28": _PREPARED,
    "ipernity.oauth.xǁCallSignerǁ__call____mutmut_32": _PREPARED,
    "ipernity.oauth.xǁOAuthHandlerǁ_token_step__mutmut_4": (
        "the token steps post no parameters (OAuth's travel in the header): requests "
        "sends the same empty body for data=None as for {}, and errors redact None to {}"
    ),
    "ipernity.oauth.xǁOAuthHandlerǁ_token_step__mutmut_23": _SAME_CODEC,
    # Pending OAuth logins.
    "flask_ipernity.oauth_state.xǁPendingOAuthLoginsǁstart__mutmut_1": (
        "the default is never used: the extension's only caller (oauth_views.oauth_login) "
        "always passes verifier_expected"
    ),
    # Forms' tokens and foreign navigations.
    "flask_ipernity.csrf.x_csrf_token__mutmut_5": _LONGER,
    "flask_ipernity.csrf.x_csrf_token__mutmut_6": _LONGER,
    "flask_ipernity.csrf.x_csrf_token_is_valid__mutmut_5": (
        "a session without a token would accept exactly 'XXXX', a value only this mutant "
        "knows; such a session refusing no field, '' and a forged token is tested"
    ),
    "flask_ipernity.csrf.x_csrf_token_is_valid__mutmut_11": (
        "a form without the field then sends 'XXXX' instead of '': never a session's "
        "token (22 URL-safe characters), and a session without one accepts nothing"
    ),
    "flask_ipernity.csrf.x_is_foreign_navigation__mutmut_2": _HEADER_CASE,
    "flask_ipernity.csrf.x_is_foreign_navigation__mutmut_3": _HEADER_CASE,
    "flask_ipernity.csrf.x_is_foreign_navigation__mutmut_11": _HEADER_CASE,
    "flask_ipernity.csrf.x_is_foreign_navigation__mutmut_12": _HEADER_CASE,
    "flask_ipernity.csrf.x_is_foreign_navigation__mutmut_14": _HEADER_CASE,
    "flask_ipernity.csrf.x_is_foreign_navigation__mutmut_15": _HEADER_CASE,
    "flask_ipernity.csrf.x_is_referred_by__mutmut_4": _HEADER_CASE,
    "flask_ipernity.csrf.x_is_referred_by__mutmut_5": _HEADER_CASE,
}

_RESULT_LINE = re.compile(r"^\s*(?P<name>\S+__mutmut_\d+): (?P<status>.+)$")


def main(argv: list[str] | None = None) -> int:
    """Run the chosen targets; return 1 if any unexplained survivor remains."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", metavar="TARGET", help=", ".join(TARGETS))
    parser.add_argument("--jobs", type=int, default=2, help="parallel test runs (default 2)")
    args = parser.parse_args(argv)
    unknown = set(args.targets) - set(TARGETS)
    if unknown:
        parser.error(f"unknown targets: {', '.join(sorted(unknown))}")
    unexplained = 0
    for name in args.targets or TARGETS:
        statuses = run_target(name, TARGETS[name], args.jobs)
        unexplained += report(name, statuses)
    return 1 if unexplained else 0


def run_target(name: str, target: Target, jobs: int) -> dict[str, str]:
    """Stage ``target``, run mutmut over it, and return each mutant's status."""
    folder = stage(name, target)
    if target.run_by:
        credit_unseen_runs(folder, target.run_by)
    command = [sys.executable, "-m", "mutmut", "run", f"--max-children={jobs}"]
    if target.names:
        command.append(target.names)
    # Our own interpreter and fixed arguments; mutmut exits non-zero on survivors.
    subprocess.run(command, cwd=folder, check=False, stdout=subprocess.DEVNULL)  # noqa: S603
    results = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all=true"],
        cwd=folder,
        check=True,
        capture_output=True,
        text=True,
    )
    statuses = {}
    for line in results.stdout.splitlines():
        match = _RESULT_LINE.match(line)
        if match and _fnmatch(match["name"], target.names):
            statuses[match["name"]] = match["status"].strip()
    return statuses


def stage(name: str, target: Target) -> Path:
    """Lay out ``build/mutation/<name>/`` afresh for mutmut."""
    folder = STAGING / name
    shutil.rmtree(folder, ignore_errors=True)
    for package, source in SOURCES.items():
        shutil.copytree(source, folder / "src" / package, ignore=_ignored)
    shutil.copytree(ROOT / "tests", folder / "tests", ignore=_ignored)
    shutil.copytree(ROOT / "example_app", folder / "example_app", ignore=_ignored)
    (folder / "pyproject.toml").write_text(_pyproject(target), encoding="utf-8")
    return folder


def credit_unseen_runs(folder: Path, run_by: dict[str, tuple[str, ...]]) -> None:
    """Collect mutmut's stats in ``folder``, then credit each function of ``run_by``.

    The mutants of such a function then run every test that runs it, instead
    of the one (or none) mutmut saw.
    """
    # A glob no mutant matches: mutmut makes the mutants and its stats, then stops
    # (with an error saying that nothing matched) before testing any.
    collected = subprocess.run(
        [sys.executable, "-m", "mutmut", "run", "--max-children=1", "no-such-mutant-*"],
        cwd=folder,
        check=False,
        capture_output=True,
        text=True,
    )
    path = folder / "mutants" / "mutmut-stats.json"
    if not path.exists():
        sys.exit(f"mutmut collected no stats:\n{collected.stdout}{collected.stderr}")
    stats = json.loads(path.read_text(encoding="utf-8"))
    tests_by_function: dict[str, list[str]] = stats["tests_by_mangled_function_name"]
    for function, sources in run_by.items():
        tests = set(tests_by_function.get(function, ()))
        for source in sources:
            tests.update(tests_by_function.get(source, ()))
            tests.update(t for t in stats["duration_by_test"] if _is_in(t, source))
        tests_by_function[function] = sorted(tests)
    path.write_text(json.dumps(stats, indent=4), encoding="utf-8")


def _is_in(test: str, source: str) -> bool:
    return test == source or test.startswith(source + "::")


def _ignored(directory: str, names: list[str]) -> set[str]:
    return {n for n in names if n in ("__pycache__", "_build") or n.endswith(".pyc")}


def _pyproject(target: Target) -> str:
    files = ", ".join(f'"src/{path}"' for path in target.files)
    tests = ", ".join(f'"{test}"' for test in target.tests)
    deselect = "".join(f', "--deselect", "{test}"' for test in target.deselect)
    return f"""\
[tool.mutmut]
source_paths = ["src"]
# Workers fork from a process that only collected the tests, not from the one
# that ran them: state a test run leaves behind (the embedded sandbox, whose
# server thread a fork does not copy) would fail tests and "kill" mutants.
process_isolation = "forkserver"
only_mutate = [{files}]
also_copy = ["example_app"]
pytest_add_cli_args_test_selection = [{tests}]
pytest_add_cli_args = ["-p", "no:cacheprovider", "-m", "not browser"{deselect}]

[tool.pytest.ini_options]
pythonpath = ["."]
addopts = "--strict-markers"
timeout = 60
markers = [
    "browser: drives a real headless Chromium",
    "redis: needs a real redis-server",
]
"""


def _fnmatch(name: str, pattern: str | None) -> bool:
    return pattern is None or fnmatchcase(name, pattern)


def report(name: str, statuses: dict[str, str]) -> int:
    """Print ``name``'s counts and survivors; return how many are unexplained."""
    counts: dict[str, int] = {}
    for status in statuses.values():
        counts[status] = counts.get(status, 0) + 1
    summary = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
    print(f"{name}: {len(statuses)} mutants: {summary or 'none'}")
    unexplained = 0
    for mutant, status in sorted(statuses.items()):
        # A timeout is a mutant that made the tests run on past their limit (an endless loop).
        if status in ("killed", "caught by type check", "timeout"):
            continue
        reason = ACCEPTED.get(mutant)
        if reason is None:
            unexplained += 1
        print(f"  {status}: {mutant}" + (f"  (accepted: {reason})" if reason else ""))
    return unexplained


if __name__ == "__main__":
    sys.exit(main())
