"""The counsellors' web console: a Starlette app the gateway mounts at /console.

    GET  /login, POST /login, POST /logout
    GET  /                          open cases, most urgent first (refreshes itself every 5 s)
    GET  /cases/{ref}               one case: anonymised fields, live chat, status history
    GET  /cases/{ref}/chat          the live chat alone (the case page polls it)
    POST /cases/{ref}/{action}      claim · start_chat · send · end_chat · refer · close
    GET  /stats, /stats.csv         aggregates and their CSV (the CSV: supervisors)
    GET  /audit                     the audit log (supervisors)

Every case change goes through actions/cases.py, which records it in the case's history and
the audit log; every page view is audited here. The queue's own refreshes and the chat's polls
belong to a view already audited and are not logged again, or the log would be all refreshes.
Pages never show the reporter's pseudonym or the encrypted reply address.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Optional

import jinja2
import yaml
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from actions.cases import CaseNotFound, CaseTaken, Cases
from actions.store import Report, ReportStore, utcnow
from bot.console.auth import LoginThrottle, Sessions, User, Users, csrf_ok
from bot.console.charts import stacked_columns
from bot.console.stats import UNKNOWN, compute, since_for, to_csv
from bot.counsellor_chat import RISK_LABELS, STATUS_LABELS
from khien.settings import REPO_ROOT, VIETNAM, Settings

HERE = Path(__file__).parent
CONTENT = REPO_ROOT / "content" / "console.yml"
# dimension -> (the labels its groups are shown with, the chart's title)
CHARTS = {"risk": ("risks", "Số ca mỗi tuần, theo mức nguy cơ"), "category": ("categories", "Theo loại"),
          "age_band": ("age_bands", "Theo độ tuổi"), "province": (None, "Theo tỉnh"),
          "status": ("statuses", "Theo kết quả")}
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


class SecurityHeaders:
    """No framing, no outside scripts or styles, nothing cached: case pages stay on the screen."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers if scope["type"] == "http" else send)


def load_labels() -> dict:
    labels = yaml.safe_load(CONTENT.read_text(encoding="utf-8"))
    return {**labels, "risks": RISK_LABELS, "statuses": STATUS_LABELS}


def base(request: Request) -> str:
    """Where the console is mounted (e.g. "/console"); every link starts with it."""
    return request.scope.get("root_path", "").rstrip("/")


def templates(labels: dict) -> Jinja2Templates:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals["label"] = lambda kind, value: labels["unknown"] if value is None else labels[kind].get(value, value)
    env.filters["vn_time"] = lambda moment: (moment + VIETNAM.utcoffset(None)).strftime("%d/%m %H:%M")
    env.filters["minutes"] = lambda value: labels["unknown"] if value is None else f"{value:.1f} phút"
    return Jinja2Templates(env=env)


def login_required(role: Optional[str] = None):
    """Signed-in users only (and of `role`, when given); every POST must carry the CSRF token."""
    def decorate(handler):
        @functools.wraps(handler)
        async def endpoint(self: "Console", request: Request) -> Response:
            session = self.sessions.read(request)
            user = await run_in_threadpool(self.users.active, session["u"]) if session and session["u"] else None
            if user is None:
                return RedirectResponse(f"{base(request)}/login", status_code=303)
            request.state.user, request.state.session = user, session
            if request.method == "POST":
                request.state.form = await request.form(max_files=0, max_fields=8)
                if not csrf_ok(session, request.state.form.get("csrf")):
                    return self.error(request, 403)
            if role and user.role != role:
                return self.error(request, 403)
            return await handler(self, request)
        return endpoint
    return decorate


class Console:
    def __init__(self, settings: Settings, store: ReportStore) -> None:
        self.cases = Cases(store)
        self.users = Users(store)
        self.sessions = Sessions(settings.console_secret, settings.console_session_minutes * 60)
        self.throttle = LoginThrottle()
        self.labels = load_labels()
        self.templates = templates(self.labels)

    # -- rendering -----------------------------------------------------------------------
    def render(self, request: Request, name: str, context: dict, status: int = 200) -> Response:
        session = getattr(request.state, "session", None)
        values = {"base": base(request), "user": getattr(request.state, "user", None),
                  "csrf": session["t"] if session else "", "labels": self.labels, **context}
        return self.templates.TemplateResponse(request, name, values, status_code=status)

    def error(self, request: Request, status: int) -> Response:
        return self.render(request, "error.html", {"status": status}, status)

    def _audit(self, actor: str, action: str, target: Optional[str] = None, detail: Optional[str] = None):
        return run_in_threadpool(self.cases.audit, actor, action, target, detail)

    # -- log-in --------------------------------------------------------------------------
    async def login_page(self, request: Request, problem: Optional[str] = None, status: int = 200) -> Response:
        session = self.sessions.read(request)
        if session and session["u"] and problem is None and await run_in_threadpool(self.users.active, session["u"]):
            return RedirectResponse(f"{base(request)}/", status_code=303)
        session = session if session and not session["u"] else self.sessions.new()
        response = self.render(request, "login.html", {"csrf": session["t"], "problem": problem}, status)
        self.sessions.write(response, request, session)
        return response

    async def login(self, request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=8)
        if not csrf_ok(self.sessions.read(request), form.get("csrf")):
            return await self.login_page(request, "expired", 403)
        username, password = str(form.get("username", "")).strip()[:64], str(form.get("password", ""))[:1024]
        if not self.throttle.allowed(username):
            return await self.login_page(request, "throttled", 429)
        user = await run_in_threadpool(self.users.authenticate, username, password)
        if user is None:
            self.throttle.failed(username)
            known = await run_in_threadpool(self.users.active, username)
            # what was typed may be a password typed in the wrong box: only real usernames are logged
            await self._audit(known.username if known else "?", "login_failed")
            return await self.login_page(request, "wrong", 401)
        self.throttle.succeeded(username)
        await self._audit(user.username, "login")
        response = RedirectResponse(f"{base(request)}/", status_code=303)
        self.sessions.write(response, request, self.sessions.new(user.username))  # a fresh CSRF token too
        return response

    @login_required()
    async def logout(self, request: Request) -> Response:
        await self._audit(request.state.user.username, "logout")
        response = RedirectResponse(f"{base(request)}/login", status_code=303)
        self.sessions.clear(response, request)
        return response

    # -- queue and cases -----------------------------------------------------------------
    @login_required()
    async def queue(self, request: Request) -> Response:
        items = await run_in_threadpool(self.cases.queue)
        if "auto" not in request.query_params:
            await self._audit(request.state.user.username, "view_queue")
        return self.render(request, "queue.html", {"items": items})

    async def _case(self, request: Request) -> Optional[Report]:
        try:
            return await run_in_threadpool(self.cases.get, request.path_params["reference"])
        except CaseNotFound:
            return None

    @login_required()
    async def case(self, request: Request) -> Response:
        report = await self._case(request)
        if report is None:
            return self.error(request, 404)
        await self._audit(request.state.user.username, "view_case", report.reference)
        notice = self.labels["notices"].get(request.query_params.get("m", ""))
        return self.render(request, "case.html", {"case": report, "notice": notice,
                                                  "may_act": may_act(request.state.user, report)})

    @login_required()
    async def chat(self, request: Request) -> Response:
        report = await self._case(request)
        if report is None:
            return self.error(request, 404)
        return self.render(request, "chat.html", {"case": report})

    @login_required()
    async def act(self, request: Request) -> Response:
        reference, action = request.path_params["reference"], request.path_params["action"]
        if action not in ACTIONS:
            return self.error(request, 404)
        text = str(request.state.form.get("text", ""))
        try:
            notice = await run_in_threadpool(self._act, request.state.user, reference, action, text)
        except CaseNotFound:
            return self.error(request, 404)
        return RedirectResponse(f"{base(request)}/cases/{reference}?m={notice}", status_code=303)

    def _act(self, user: User, reference: str, action: str, text: str) -> str:
        """Does `action` when this user may; returns the notice to show."""
        report = self.cases.get(reference)
        if report.status == "closed":
            return "closed_already"
        if action == "claim":
            if report.status != "received":
                return "taken"
            try:  # the check above is advisory; the claim itself is atomic under a row lock
                self.cases.claim(reference, user.username)
            except CaseTaken:
                return "taken"
            return "claimed"
        if not may_act(user, report):
            return "not_yours"
        if action in ("send", "end_chat") and not report.handoff_active:
            return "no_chat"
        if action == "send":
            if not text.strip():
                return "empty"
            self.cases.send_to_child(reference, user.username, text.strip())
            return "sent"
        if action == "start_chat" and report.handoff_active:
            return "chat_started"
        change, notice = CHANGES[action]
        change(self.cases, reference, user.username)
        return notice

    # -- statistics and audit ------------------------------------------------------------
    @staticmethod
    def _weeks(request: Request) -> int:
        try:
            return min(max(int(request.query_params.get("weeks", "12")), 1), 104)
        except ValueError:
            return 12

    def _statistics(self, weeks: int):
        now = utcnow()
        return compute(self.cases.reported_since(since_for(weeks, now)), weeks, now)

    @login_required()
    async def stats(self, request: Request) -> Response:
        weeks = self._weeks(request)
        stats = await run_in_threadpool(self._statistics, weeks)
        await self._audit(request.state.user.username, "view_stats", detail=f"weeks={weeks}")
        charts = []
        for dimension, (kind, title) in CHARTS.items():
            series = {self._group_label(kind, group): values for group, values in stats.counts[dimension].items()}
            charts.append((title, stacked_columns(stats.weeks, series, self.labels["other"])))
        return self.render(request, "stats.html", {"stats": stats, "weeks": weeks, "charts": charts})

    def _group_label(self, kind: Optional[str], group: str) -> str:
        if group == UNKNOWN:
            return self.labels["not_given"]
        return self.labels[kind].get(group, group) if kind else group

    @login_required(role="supervisor")
    async def stats_csv(self, request: Request) -> Response:
        weeks = self._weeks(request)
        stats = await run_in_threadpool(self._statistics, weeks)
        await self._audit(request.state.user.username, "export_csv", detail=f"weeks={weeks}")
        name = f"khien-thong-ke-{stats.weeks[0]}-{stats.weeks[-1]}.csv"
        return Response(to_csv(stats), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{name}"'})

    @login_required(role="supervisor")
    async def audit(self, request: Request) -> Response:
        entries = await run_in_threadpool(self.cases.audit_log)
        await self._audit(request.state.user.username, "view_audit")
        return self.render(request, "audit.html", {"entries": entries})


def may_act(user: User, report: Report) -> bool:
    """A case is worked by whoever claimed it; an unclaimed one by anyone; supervisors always."""
    return user.supervisor or report.claimed_by in (None, user.username)


# action -> (what it does to the case, the notice shown after it), for those that need nothing more
CHANGES = {"refer": (Cases.refer, "referred"), "close": (Cases.close, "closed"),
           "start_chat": (Cases.start_handoff, "chat_started"), "end_chat": (Cases.end_handoff, "chat_ended")}
ACTIONS = ("claim", "send", *CHANGES)


def create_console(settings: Settings, store: ReportStore) -> Starlette:
    """The console app; `store` must be migrated (ReportStore.migrate)."""
    console = Console(settings, store)
    routes = [
        Route("/login", console.login_page, methods=["GET"]),
        Route("/login", console.login, methods=["POST"]),
        Route("/logout", console.logout, methods=["POST"]),
        Route("/", console.queue),
        Route("/cases/{reference}", console.case),
        Route("/cases/{reference}/chat", console.chat),
        Route("/cases/{reference}/{action}", console.act, methods=["POST"]),
        Route("/stats", console.stats),
        Route("/stats.csv", console.stats_csv),
        Route("/audit", console.audit),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    return Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)])
