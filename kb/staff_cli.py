"""The staff commands of ``kb``: ``add``, ``user``, ``check``, ``log``, ``restore``.

They change the corpus through the same functions as the staff web pages
(``kb.publishing``, ``kb.history``), so every change is locked, atomic, logged in the
audit log (as ``cli:<login name>``) and indexed at once.
"""
from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

import click

from indexer.formats import FormatError

from . import audit
from .audit import describe, latest
from .check import check, repair as repair_index
from .cli_context import Context, pass_context
from .errors import DuplicateText, PublishError
from .history import entries, restore
from .index import IndexBusyError, IndexUnavailableError
from .intake import take_in
from .publishing import form_metadata, preview_extraction, publish
from .users import UserError, UserStore


def cli_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _extraction_summary(extraction) -> list[str]:
    data = extraction.to_dict()
    return [
        "cities: " + (", ".join(f"{c['name']} ({c['country']})" for c in data["cities"]) or "none"),
        "dates: " + (", ".join(d["value"] + (f"/{d['end']}" if d.get("end") else "") for d in data["dates"]) or "none"),
        "organisations: " + (", ".join(o["name"] for o in data["organisations"]) or "none"),
        f"commitments: {len(data['commitments'])}",
        *[f"  - {c['text'][:150]}" for c in data["commitments"][:10]],
    ]


@click.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--type", "type_", help="Document type (declaration, press_release, …; default: unknown).")
@click.option("--lang", "language", help="Language of the text, two letters (default: detected).")
@click.option("--title", help="Title (default: from the file).")
@click.option("--date", help="Publication date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--organisation", "organisations", multiple=True, help="An organisation (repeatable).")
@click.option("--source-url", help="Where the document was published.")
@click.option("--translation-key", help="Shared by every language version of the document.")
@click.option("--draft", is_flag=True, help="Add it hidden from the public (status: draft).")
@click.option("--yes", "-y", is_flag=True, help="Publish without showing the extraction and asking.")
@pass_context
def add_command(ctx: Context, file: Path, type_, language, title, date, organisations,
                source_url, translation_key, draft: bool, yes: bool) -> None:
    """Add a document from FILE (.md, .txt, .html, .pdf, .docx): its text is extracted,
    written to corpus/<type>/<slug>.<lang>.md (the original kept beside it) and indexed."""
    settings = ctx.settings
    given = {"title": title, "type": type_, "language": language, "date": date,
             "source_url": source_url, "organisations": "\n".join(organisations),
             "translation_key": translation_key, "status": "draft" if draft else None}
    size = file.stat().st_size
    if size > settings.max_upload_mb * 1024 * 1024:     # before reading it: the limit of the upload page
        raise click.ClickException(f"{file}: the file is {size / 1024 / 1024:.1f} MB; at most "
                                   f"{settings.max_upload_mb} MB can be added (the max_upload_mb setting)")
    try:
        intake = take_in(settings, ctx.index, file.read_bytes(), file.name, given=given)
    except FormatError as exc:
        raise click.ClickException(f"{file}: {exc}") from None
    except DuplicateText as exc:
        raise click.ClickException(f"{file}: the same text is already document {exc.duplicate['id']} "
                                   f"({exc.duplicate['path']})") from None
    except PublishError as exc:
        raise click.ClickException(f"{file}: {exc}") from None
    read, plain = intake.read, intake.plain
    try:
        meta = form_metadata(intake.values)
    except PublishError as exc:
        hint = " (give --lang)" if "language" in exc.errors else ""
        raise click.ClickException(f"{file}: {' '.join(exc.errors.values())}{hint}") from None
    click.echo(f"{meta.title}  [{meta.type}, {meta.language}, {meta.date or 'undated'}, {meta.status}]")
    click.echo(f"{len(plain.split())} words from {file.name} ({read.content_type}"
               + (f", {read.pages} pages" if read.pages else "") + ")")
    if not yes:
        extraction = preview_extraction(settings, plain, meta.language, meta.title, meta.date)
        for line in _extraction_summary(extraction):
            click.echo(line)
        if not click.confirm("Publish it?", default=True):
            click.echo("Nothing was written.")
            return
    original = file.read_bytes() if read.extension else None
    try:
        outcome = publish(settings, ctx.index, meta, read.text, cli_actor(), original=original,
                          extension=read.extension, source=file.name)
    except PublishError as exc:
        raise click.ClickException(str(exc)) from None
    _report(settings, outcome, "added")


def _report(settings, outcome, done: str) -> None:
    """What a change did; exit 1 when its document is not in the index yet."""
    click.echo(f"{done} {outcome.id}: {settings.corpus_dir / outcome.path}")
    if not outcome.indexed:
        click.echo(f"warning: not indexed yet: {outcome.message}", err=True)
        sys.exit(1)


def _change_user(ctx: Context, action: str, name: str, change, done: str) -> None:
    """``change(users)`` on the account store, logged as ``action``; UserError as a message."""
    try:
        change(UserStore.for_settings(ctx.settings))
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
    audit.record(ctx.settings, cli_actor(), action, name=name)
    click.echo(done)


@click.group("user")
def user_group() -> None:
    """Staff accounts: add, list, remove, change a password."""


@user_group.command("add")
@click.argument("name")
@click.password_option(prompt="Password", confirmation_prompt="Repeat the password",
                       help="Prompted twice when not given (avoid it on the command line).")
@pass_context
def user_add(ctx: Context, name: str, password: str) -> None:
    """Add the staff account NAME (password prompted twice, stored as an scrypt hash)."""
    _change_user(ctx, "user-add", name, lambda users: users.add(name, password), f"added user {name}")


@user_group.command("password")
@click.argument("name")
@click.password_option(prompt="New password", confirmation_prompt="Repeat the password")
@pass_context
def user_password(ctx: Context, name: str, password: str) -> None:
    """Change the password of NAME (ends their open sessions)."""
    _change_user(ctx, "user-password", name, lambda users: users.set_password(name, password),
                 f"changed the password of {name}")


@user_group.command("list")
@pass_context
def user_list(ctx: Context) -> None:
    """List the staff accounts."""
    try:
        users = UserStore.for_settings(ctx.settings).list()
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
    for user in users:
        click.echo(f"{user.name}\tcreated {user.created}")
    if not users:
        click.echo("no staff accounts yet: add one with `kb user add NAME`", err=True)


@user_group.command("remove")
@click.argument("name")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@pass_context
def user_remove(ctx: Context, name: str, yes: bool) -> None:
    """Remove the staff account NAME (their open sessions end)."""
    if not yes:
        click.confirm(f"Remove the account {name}?", abort=True)
    _change_user(ctx, "user-remove", name, lambda users: users.remove(name), f"removed user {name}")


@click.command("check")
@click.option("--repair", is_flag=True, help="Index what is missing or changed, drop stale entries, "
                                             "remove leftover temporary files.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@pass_context
def check_command(ctx: Context, repair: bool, as_json: bool) -> None:
    """Compare the corpus and the index; exit 1 while they disagree or a file is invalid."""
    if not ctx.settings.corpus_dir.is_dir():
        raise click.ClickException(f"corpus folder not found: {ctx.settings.corpus_dir}")
    try:
        report = check(ctx.settings, ctx.index)
    except IndexUnavailableError as exc:
        raise click.ClickException(str(exc)) from None
    repaired = None
    if repair and report.repairable:
        try:
            repaired = repair_index(ctx.settings, ctx.index, report)
        except (IndexBusyError, IndexUnavailableError) as exc:
            raise click.ClickException(str(exc)) from None
        audit.record(ctx.settings, cli_actor(), "check-repair", summary=repaired.summary())
        ctx.close_index()
        before, report = report, check(ctx.settings, ctx.index)
    if as_json:
        data = report.to_dict()
        if repaired is not None:
            data["repaired"] = {"before": before.to_dict(), "index": repaired.summary()}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        if repaired is not None:
            for line in before.lines():
                click.echo(f"found: {line}")
            click.echo(f"repaired: {repaired.summary()}")
        for line in report.lines():
            click.echo(line)
        click.echo(report.summary())
    if not report.ok:
        sys.exit(1)


@click.command("log")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1), help="Entries to show.")
@click.option("--user", help="Only this user's actions.")
@click.option("--document", help="Only actions on this document id.")
@click.option("--action", help="Only this action (publish, update, delete, login-failed, …).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@pass_context
def log_command(ctx: Context, limit: int, user, document, action, as_json: bool) -> None:
    """Show the audit log, most recent first: who did what and when."""
    for entry in latest(ctx.settings, limit, user=user, document=document, action=action):
        click.echo(json.dumps(entry, ensure_ascii=False) if as_json else describe(entry))


@click.command("restore")
@click.argument("entry", required=False)
@click.option("--document", help="With no ENTRY: only the history of this document id.")
@pass_context
def restore_command(ctx: Context, entry: str | None, document: str | None) -> None:
    """Restore a deleted document or an earlier version from the history; with no ENTRY,
    list the history."""
    if not entry:
        found = entries(ctx.settings, document)
        for item in found:
            restored = f"  (restored {item.restored[-1]['time']})" if item.restored else ""
            click.echo(f"{item.id}\t{item.kind} by {item.user} at {item.time}: "
                       f"{item.title or item.document} [{', '.join(item.files)}]{restored}")
        if not found:
            click.echo("the history is empty", err=True)
        return
    try:
        outcome = restore(ctx.settings, ctx.index, entry, cli_actor())
    except PublishError as exc:
        raise click.ClickException(str(exc)) from None
    _report(ctx.settings, outcome, "restored")


COMMANDS = (add_command, user_group, check_command, log_command, restore_command)
