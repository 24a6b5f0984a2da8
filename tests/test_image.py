"""The image runs: its files, built from the Dockerfile and .dockerignore exactly as Docker
would (tests/dockerimage.py), start the site, the worker and beat with production settings.

No Docker engine is needed. The file set is laid out in a temporary folder and every command
runs there, with this virtualenv's Python (the image's /opt/venv) but with the file set as its
only source of code: a folder the Dockerfile or .dockerignore leaves out is missing here too.
Only the packages of requirements.lock can be imported, as in the image. The commands are the
ones docker-compose.yml runs, healthchecks included.
"""

from __future__ import annotations

import getpass
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from importlib.metadata import packages_distributions
from pathlib import Path

import psycopg
import pytest
import yaml
from django.conf import settings
from django.db import connection
from psycopg import sql

from tests.dockerimage import DockerIgnore, build_fileset, env_of, parse_dockerfile

ROOT = Path(__file__).resolve().parent.parent
HOST = "kenniscloud.example.org"
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
# Every folder of the repository with Python the site runs: each Django app and the project.
CODE_FOLDERS = sorted(
    path.parent.name
    for path in ROOT.glob("*/__init__.py")
    if path.parent.name not in {"tests", "bench"}
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def compose_command(service: str) -> str:
    command = COMPOSE["services"][service]["command"]
    return command if isinstance(command, str) else shlex.join(command)


def compose_healthcheck(service: str) -> str:
    kind, *words = COMPOSE["services"][service]["healthcheck"]["test"]
    # Compose turns `$$` into `$` before the shell sees it.
    return words[0].replace("$$", "$") if kind == "CMD-SHELL" else shlex.join(words)


@pytest.fixture(scope="module")
def image(tmp_path_factory) -> Path:
    """The image's /app, from the real Dockerfile and .dockerignore."""
    app = build_fileset(ROOT, tmp_path_factory.mktemp("image"))
    assert app.name == "app"
    return app


def lock_names(lock: str) -> set[str]:
    text = (ROOT / lock).read_text()
    return {normalized(m) for m in re.findall(r"^([A-Za-z0-9_.-]+)==", text, re.MULTILINE)}


def normalized(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution).lower()


def runtime_only(folder: Path) -> Path:
    """A sitecustomize that hides what only requirements-dev.lock installs (pytest, PyYAML,
    factory_boy, ...): the image's virtualenv has requirements.lock alone."""
    dev_only = lock_names("requirements-dev.lock") - lock_names("requirements.lock")
    hidden = sorted(
        module
        for module, distributions in packages_distributions().items()
        if all(normalized(d) in dev_only for d in distributions)
    )
    folder.mkdir(exist_ok=True)
    (folder / "sitecustomize.py").write_text(
        "import sys\n"
        f"HIDDEN = frozenset({hidden!r})\n"
        "class RuntimeOnly:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.partition('.')[0] in HIDDEN:\n"
        "            raise ModuleNotFoundError(\n"
        "                f'No module named {name!r} (only in requirements-dev.lock)', name=name\n"
        "            )\n"
        "sys.meta_path.insert(0, RuntimeOnly())\n"
    )
    return folder


def image_environment(app: Path, database_url: str) -> dict[str, str]:
    """A container's environment: the Dockerfile's ENV and what .env and compose give it."""
    runtime = parse_dockerfile((ROOT / "Dockerfile").read_text())[-1]
    env = {name: value for name, value in env_of(runtime).items() if name != "PATH"}
    assert env["DJANGO_SETTINGS_MODULE"] == "kenniscloud.settings.production"
    env.update(
        # /opt/venv/bin in the image; here this virtualenv, and nothing of the repository.
        PATH=f"{Path(sys.executable).parent}:/usr/bin:/bin",
        PYTHONPATH=f"{app}:{runtime_only(app.parent / 'runtime-only')}",
        HOME=str(app.parent),
        LANG="C.UTF-8",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        KENNISCLOUD_SITE_URL=f"https://{HOST}",
        EMAIL_URL="smtp+tls://kenniscloud:secret@smtp.example.org:587",
        DATABASE_URL=database_url,
        REDIS_URL=settings.REDIS_URL or "redis://127.0.0.1:6379/1",
        DJANGO_LOG_LEVEL="WARNING",
    )
    for name, value in COMPOSE["x-app"]["environment"].items():
        if name not in {"DATABASE_URL", "REDIS_URL"}:  # those point at the compose services
            env[name] = str(value)
    return env


@pytest.fixture(scope="module")
def database_url(tmp_path_factory) -> Iterator[str]:
    """A fresh PostgreSQL database of its own when the suite runs on PostgreSQL, else SQLite."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'image.sqlite3'}"
        return
    db = connection.settings_dict
    name = f"{db['NAME']}_image"
    server = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    yield f"postgres://{db['USER']}{password}@{server['host']}:{server['port']}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture(scope="module")
def env(image, database_url) -> dict[str, str]:
    return image_environment(image, database_url)


def run(command: str, app: Path, env: dict[str, str], timeout: int = 300):
    return subprocess.run(
        command, shell=True, cwd=app, env=env, capture_output=True, text=True, timeout=timeout
    )


class Service:
    """A compose service's command, started from the file set in its own process group."""

    def __init__(self, command: str, app: Path, env: dict[str, str], log: Path):
        self.log = log
        self.process = subprocess.Popen(
            command,
            shell=True,
            cwd=app,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def alive(self) -> bool:
        return self.process.poll() is None

    def output(self) -> str:
        return self.log.read_text()[-4000:]

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def wait_until_healthy(service: Service, healthcheck: str, app, env, seconds: int) -> None:
    deadline = time.monotonic() + seconds
    result = None
    while time.monotonic() < deadline:
        assert service.alive(), f"stopped:\n{service.output()}"
        result = run(healthcheck, app, env, timeout=60)
        if result.returncode == 0:
            return
        time.sleep(2)
    pytest.fail(f"not healthy in {seconds}s: {result and result.stderr}\n{service.output()}")


# --- The file set --------------------------------------------------------------------------


def test_the_image_holds_every_code_folder(image):
    assert {"communities", "dashboard", "kenniscloud", "knowledge", "meetups"} <= set(CODE_FOLDERS)
    # Apps of later issues too (issue 17: the readability advice and its script).
    assert "plainlanguage" in CODE_FOLDERS
    assert (image / "static/js/plainlanguage.js").is_file()
    assert (image / "templates/plainlanguage/advice.html").is_file()
    for folder in CODE_FOLDERS:
        assert (image / folder / "__init__.py").is_file(), f"{folder}/ is not in the image"
    for needed in ["manage.py", "templates", "static/css/site.css", "requirements.lock"]:
        assert (image / needed).exists(), needed
    # The compiled translations: the image runs no compilemessages.
    assert list(image.glob("kenniscloud/locale/*/LC_MESSAGES/django.mo"))


def test_the_image_holds_no_tests_secrets_or_local_state(image):
    top = {path.name for path in image.iterdir()}
    for left_out in [
        "tests",
        ".env",
        ".env.example",
        ".git",
        ".venv",
        "var",
        "db.sqlite3",
        "bench",
        ".ci",
        "requirements-dev.lock",
        "Dockerfile",
    ]:
        assert left_out not in top, left_out
    everything = [path.relative_to(image).as_posix() for path in image.rglob("*")]
    assert not [p for p in everything if "__pycache__" in p or p.endswith(".pyc")]
    assert not [p for p in everything if p.split("/")[-1].startswith(".env")]


def test_dockerignore_keeps_out_env_files_wherever_docker_looks():
    ignore = DockerIgnore.from_file(ROOT / ".dockerignore")
    for path in [".env", ".env.production", "db.sqlite3", "tests/conftest.py", "var/media/a.jpg"]:
        assert ignore.excludes(path), path
    for path in ["manage.py", "dashboard/views.py", "communities/tests.py", "static/css/site.css"]:
        assert not ignore.excludes(path), path


def test_a_folder_left_out_of_the_image_stops_the_site(tmp_path):
    """What the old inline Dockerfile did to dashboard/ and notifications/: this suite sees it."""
    context = tmp_path / "context"
    local = shutil.ignore_patterns(".git", ".venv", "var", "node_modules", "__pycache__")
    shutil.copytree(ROOT, context, ignore=local)
    with (context / ".dockerignore").open("a") as ignore:
        ignore.write("\ndashboard\n")
    app = build_fileset(context, tmp_path / "image")
    assert (app / "communities").is_dir()
    assert not (app / "dashboard").exists()
    env = image_environment(app, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = run("python manage.py check", app, env)
    assert result.returncode != 0
    assert "ModuleNotFoundError: No module named 'dashboard'" in result.stderr


# --- Running it ----------------------------------------------------------------------------


def test_the_image_imports_its_code_from_itself(image, env):
    code = (
        "import sys, kenniscloud, communities, dashboard, notifications; "
        "print(*[m.__file__ for m in (kenniscloud, communities, dashboard, notifications)]); "
        f"print(any(p.startswith({str(ROOT)!r}) for p in sys.path if '.venv' not in p))"
    )
    result = run(f"python -c {shlex.quote(code)}", image, env)
    assert result.returncode == 0, result.stderr
    files, outside = result.stdout.split("\n")[:2]
    assert all(file.startswith(str(image)) for file in files.split())
    assert outside == "False"


def test_the_image_has_only_the_runtime_packages(image, env):
    result = run("python -c 'import django, wagtail, celery, gunicorn, psycopg'", image, env)
    assert result.returncode == 0, result.stderr
    for dev_tool in ["pytest", "yaml", "factory", "ruff", "mypy", "playwright"]:
        result = run(f"python -c 'import {dev_tool}'", image, env)
        assert f"No module named '{dev_tool}' (only in requirements-dev.lock)" in result.stderr


def test_the_image_passes_the_deploy_checks(image, env):
    result = run("python manage.py check --deploy --fail-level WARNING", image, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_celery_loads_its_tasks_from_the_image_with_production_settings(image, env):
    code = (
        "from kenniscloud.celery import app; app.loader.import_default_modules(); "
        "from django.conf import settings; print(settings.SETTINGS_MODULE); "
        "print(sorted(t for t in app.tasks if not t.startswith('celery.')))"
    )
    result = run(f"python -c {shlex.quote(code)}", image, env)
    assert result.returncode == 0, result.stderr
    module, tasks = result.stdout.splitlines()[:2]
    assert module == "kenniscloud.settings.production"
    # Every task beat schedules is known to a worker started from the image.
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert repr(entry["task"]) in tasks, entry["task"]


def get(port: int, path: str, **headers: str):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        headers={"Host": HOST, "X-Forwarded-Proto": "https", **headers},
    )
    try:
        return urllib.request.urlopen(request, timeout=30)
    except urllib.error.HTTPError as error:
        return error


@pytest.fixture(scope="module")
def web(image, env, tmp_path_factory) -> Iterator[int]:
    """compose's web command (migrate, collectstatic, gunicorn), on a free loopback port, up
    once its own healthcheck passes."""
    port = free_port()
    command = compose_command("web")
    assert "0.0.0.0:8000" in command
    log = tmp_path_factory.mktemp("web") / "web.log"
    service = Service(command.replace("0.0.0.0:8000", f"127.0.0.1:{port}"), image, env, log)
    healthcheck = compose_healthcheck("web").replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    try:
        wait_until_healthy(service, healthcheck, image, env, seconds=600)
        yield port
    finally:
        service.stop()


@pytest.mark.postgres
@pytest.mark.redis
def test_web_migrates_serves_and_is_ready(web):
    with get(web, "/gezond/") as response:
        assert (response.status, response.read()) == (200, b"ok")
    with get(web, "/gezond/klaar/") as response:
        assert (response.status, response.headers["Content-Type"]) == (200, "application/json")
        assert response.read() == b'{"database": "ok", "redis": "ok"}'
    # A real page, and the fingerprinted static files collectstatic wrote for it.
    with get(web, "/") as response:
        assert response.status == 200
        page = response.read()
    stylesheet = re.search(rb'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "no fingerprinted stylesheet on the home page"
    with get(web, stylesheet.group(1).decode()) as response:
        assert response.status == 200


def test_web_healthcheck_fails_without_web(image, env):
    healthcheck = compose_healthcheck("web").replace("127.0.0.1:8000", f"127.0.0.1:{free_port()}")
    result = run(healthcheck, image, env)
    assert result.returncode == 1
    assert "did not answer: <urlopen error [Errno 111] Connection refused>" in result.stderr


NGINX = os.environ.get("NGINX_PATH") or shutil.which("nginx") or "/usr/sbin/nginx"


@pytest.fixture
def nginx(web, image, tmp_path) -> Iterator[int]:
    """deploy/nginx.conf as compose mounts it, in front of web; the media volume is web's
    MEDIA_ROOT in the image (var/media)."""
    if not Path(NGINX).is_file():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but nginx is not installed (apt install nginx)")
        pytest.skip("needs nginx (apt install nginx, or set NGINX_PATH)")
    port = free_port()
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    for compose_value, here in [
        ("listen 80 default_server", f"listen 127.0.0.1:{port} default_server"),
        ("http://web:8000", f"http://127.0.0.1:{web}"),
        ("alias /srv/media/", f"alias {image / 'var' / 'media'}/"),
    ]:
        assert site.count(compose_value) == 1, compose_value
        site = site.replace(compose_value, here)
    (tmp_path / "site.conf").write_text(site)
    # What the nginx image's own nginx.conf gives the site: mime types and a log.
    # Started as root nginx would hand the requests to `nobody`, who may not enter pytest's
    # private temporary folders; the image's nginx user reads the volume's 0644 files instead.
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"""daemon off;
{user}
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{}}
http {{
    types {{ text/html html; text/css css; image/png png; application/pdf pdf; }}
    default_type application/octet-stream;
    access_log {tmp_path}/access.log;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    include {tmp_path}/site.conf;
}}
"""
    )
    command = f"{NGINX} -p {tmp_path} -c {tmp_path}/nginx.conf"
    check = run(f"{command} -t", image, {"PATH": "/usr/bin:/bin"})
    assert check.returncode == 0, check.stderr
    service = Service(command, image, {"PATH": "/usr/bin:/bin"}, tmp_path / "nginx.log")
    try:
        for _ in range(50):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield port
    finally:
        service.stop()


@pytest.mark.postgres
@pytest.mark.redis
def test_nginx_serves_uploads_and_passes_the_rest_to_web(nginx, image):
    media = image / "var" / "media"
    avatar = media / "avatars" / "2026" / "12" / "mila.png"
    avatar.parent.mkdir(parents=True, exist_ok=True)
    avatar.write_bytes(b"\x89PNG\r\n\x1a\n" + secrets.token_bytes(64))
    document = media / "documents" / "verslag.pdf"
    document.parent.mkdir(parents=True, exist_ok=True)
    document.write_bytes(b"%PDF-1.4 besloten")

    with get(nginx, "/media/avatars/2026/12/mila.png") as response:
        assert response.status == 200
        assert response.read() == avatar.read_bytes()
        assert response.headers["Content-Type"] == "image/png"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response.headers["Content-Security-Policy"]
        assert response.headers["Server"] == "nginx", "no version"
    # Documents only through Django, which checks who may see them.
    with get(nginx, "/media/documents/verslag.pdf") as response:
        assert response.status == 404
    with get(nginx, "/media/avatars/nobody.png") as response:
        assert response.status == 404
    # Everything else reaches gunicorn.
    with get(nginx, "/gezond/klaar/") as response:
        assert response.status == 200
        assert response.read() == b'{"database": "ok", "redis": "ok"}'
    with get(nginx, "/") as response:
        assert response.status == 200
        assert b"KennisCloud" in response.read()


@pytest.mark.redis
def test_worker_answers_its_healthcheck(image, env, tmp_path):
    env = {**env, "HOSTNAME": socket.gethostname()}  # Docker sets it to the container's name
    worker = Service(compose_command("worker"), image, env, tmp_path / "worker.log")
    try:
        wait_until_healthy(worker, compose_healthcheck("worker"), image, env, seconds=180)
    finally:
        worker.stop()
    result = run(compose_healthcheck("worker"), image, env, timeout=60)
    assert result.returncode != 0, "a stopped worker must not look healthy"


def test_beat_ticks_and_its_healthcheck_sees_it(image, env, tmp_path):
    schedule = re.search(r"--schedule (\S+)", compose_command("beat")).group(1)
    here = str(tmp_path / "celerybeat-schedule")
    # The compose command, with the schedule in a temporary folder and a tick every second
    # instead of every 30 s, to see the heartbeat move within the test.
    command = compose_command("beat").replace(schedule, here) + " --max-interval 1"
    healthcheck = compose_healthcheck("beat").replace(schedule, here)
    heartbeat = Path(f"{here}.heartbeat")
    beat = Service(command, image, env, tmp_path / "beat.log")
    try:
        wait_until_healthy(beat, healthcheck, image, env, seconds=120)
        first = heartbeat.stat().st_mtime
        deadline = time.monotonic() + 30
        while heartbeat.stat().st_mtime == first and time.monotonic() < deadline:
            time.sleep(0.5)
        assert heartbeat.stat().st_mtime > first, "beat stopped touching its heartbeat"
    finally:
        beat.stop()
    # A beat that stopped ticking two and a half minutes ago is unhealthy.
    stale = time.time() - 150
    os.utime(heartbeat, (stale, stale))
    result = run(healthcheck, image, env)
    assert result.returncode == 1
    assert re.fullmatch(
        r"beat's last tick was 15\d s ago \(at most 120 s allowed\)\n", result.stderr
    )
