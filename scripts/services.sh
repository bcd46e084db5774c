# Sourced by scripts/test.sh and .ci/run: the local PostgreSQL and Redis the tests run against.
#
#   services_up                 start PostgreSQL and Redis if they are installed but not answering
#   postgres_url <database>     print a postgres:// URL that connects (trust on 127.0.0.1, or the
#                               peer-authenticated unix socket with a role made for this user)
#
# Needs die() from the caller.

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {  # wait_for <port> <name>
    for _ in $(seq 1 60); do answers "$1" && return 0; sleep 0.5; done
    die "$2 is not answering on 127.0.0.1:$1"
}

as_postgres() {  # run a command as the postgres system user (peer authentication on the socket)
    if [[ "$(id -u)" == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        sudo -n -u postgres "$@"
    fi
}

services_up() {
    if ! answers 5432; then
        command -v pg_ctlcluster >/dev/null || die "PostgreSQL is not answering on 127.0.0.1:5432 and is not installed (BOOTSTRAP_DEV=1 scripts/bootstrap.sh installs it)"
        echo "PostgreSQL is not answering: starting it"
        local version
        version="$(ls /etc/postgresql | sort -V | tail -1)"
        pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null ||
            as_postgres pg_ctlcluster --skip-systemctl-redirect "$version" main start
        wait_for 5432 PostgreSQL
    fi
    if ! answers 6379; then
        command -v redis-server >/dev/null || die "Redis is not answering on 127.0.0.1:6379 and is not installed"
        echo "Redis is not answering: starting it"
        redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no >/dev/null
        wait_for 6379 Redis
    fi
}

postgres_url() {  # postgres_url <database>
    local role me socket=/var/run/postgresql
    me="$(id -un)"
    # A machine set up for development trusts 127.0.0.1 (CI's does): the first role that gets in.
    for role in postgres root "$me"; do
        if psql -h 127.0.0.1 -U "$role" -d postgres -tAc 'select 1' </dev/null >/dev/null 2>&1; then
            echo "postgres://$role@127.0.0.1:5432/$1"
            return 0
        fi
    done
    # Debian's own set-up: peer authentication on the unix socket. A superuser role named after
    # this user (the tests create and drop their database) is made once.
    if ! psql -h "$socket" -d postgres -tAc 'select 1' </dev/null >/dev/null 2>&1; then
        as_postgres createuser --superuser "$me" 2>/dev/null || true
        as_postgres createdb --owner "$me" "$me" 2>/dev/null || true
    fi
    psql -h "$socket" -d postgres -tAc 'select 1' </dev/null >/dev/null 2>&1 ||
        die "cannot connect to PostgreSQL as $me (tried 127.0.0.1:5432 and $socket); set DATABASE_URL"
    echo "postgres:///$1?host=$socket"
}
