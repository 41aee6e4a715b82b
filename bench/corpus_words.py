"""Word lists for the benchmark corpus: services, teams, people and phrases.

Every list here was written for this benchmark. ``corpus_report.py`` and
``corpus_body.py`` combine them with their sentence templates.
"""

from __future__ import annotations

# (name, owning team, what a customer does with it), most incidents first.
# The generator weights service i by 1 / (i + 1) ** 1.1, so a few services
# appear in many reports and most appear in only a few.
SERVICES: list[tuple[str, str, str]] = [
    ("checkout-api", "payments-team", "check out"),
    ("user-api", "backend-team", "sign in"),
    ("postgres-main", "data-team", "save orders"),
    ("api-gateway", "platform-team", "reach any API"),
    ("payments-gateway", "payments-team", "pay by card"),
    ("redis-cache", "platform-team", "load their account pages"),
    ("kafka", "data-team", "see order updates"),
    ("search-api", "search-team", "search the catalogue"),
    ("web-frontend", "web-team", "open the website"),
    ("mobile-bff", "mobile-team", "use the mobile app"),
    ("tracking-api", "backend-team", "track parcels"),
    ("notification-service", "messaging-team", "receive notifications"),
    ("kubernetes", "infra-team", "reach services in the cluster"),
    ("order-service", "backend-team", "place orders"),
    ("inventory-service", "backend-team", "see stock levels"),
    ("cdn", "network-team", "load images and scripts"),
    ("dns", "network-team", "resolve our hostnames"),
    ("auth-service", "security-team", "log in"),
    ("mysql", "data-team", "read their profiles"),
    ("elasticsearch", "search-team", "filter search results"),
    ("load-balancer", "network-team", "connect to the site"),
    ("sms-gateway", "messaging-team", "receive text messages"),
    ("email-sender", "messaging-team", "receive emails"),
    ("billing-service", "payments-team", "see their invoices"),
    ("catalog-service", "search-team", "browse products"),
    ("pricing-engine", "growth-team", "see correct prices"),
    ("feature-flags", "platform-team", "get new features"),
    ("config-service", "platform-team", "load settings"),
    ("secrets-vault", "security-team", "start services"),
    ("object-storage", "infra-team", "download documents"),
    ("shipping-planner", "backend-team", "book deliveries"),
    ("driver-app-api", "mobile-team", "complete deliveries"),
    ("push-relay", "mobile-team", "receive push notifications"),
    ("recommendation-api", "growth-team", "see recommendations"),
    ("fraud-scoring", "payments-team", "complete payments"),
    ("ledger", "payments-team", "see account balances"),
    ("reporting-etl", "data-team", "open daily reports"),
    ("data-warehouse", "data-team", "run analytics queries"),
    ("metrics-pipeline", "sre-team", "see dashboards"),
    ("log-pipeline", "sre-team", "search logs"),
    ("alerting", "sre-team", "get paged"),
    ("ci-runners", "infra-team", "merge changes"),
    ("artifact-registry", "infra-team", "deploy services"),
    ("service-mesh", "platform-team", "call other services"),
    ("identity-provider", "security-team", "use single sign-on"),
    ("session-store", "backend-team", "stay signed in"),
    ("rate-limiter", "platform-team", "send API requests"),
    ("image-resizer", "web-team", "see product images"),
    ("video-transcoder", "web-team", "watch product videos"),
    ("geo-lookup", "backend-team", "see local delivery options"),
    ("partner-webhooks", "backend-team", "receive partner callbacks"),
    ("invoice-generator", "payments-team", "download invoices"),
    ("audit-log", "security-team", "export audit records"),
    ("scheduler", "platform-team", "run scheduled jobs"),
    ("batch-workers", "data-team", "get nightly exports"),
    ("backup-service", "data-team", "restore backups"),
    ("status-page", "sre-team", "see our status"),
    ("admin-console", "support-engineering", "manage accounts"),
    ("support-tools", "support-engineering", "answer tickets"),
    ("warehouse-scanner", "mobile-team", "scan parcels"),
    ("memcached", "platform-team", "load cached pages"),
    ("vpn-gateway", "network-team", "reach internal tools"),
]

TEAMS = sorted({service[1] for service in SERVICES} | {"sre-team", "infra-team"})

PEOPLE = [
    "a.kim", "j.okafor", "m.rossi", "s.nakamura", "p.silva", "l.nguyen",
    "d.schmidt", "r.patel", "e.larsen", "t.moreau", "h.yilmaz", "c.obrien",
    "f.haddad", "g.novak", "i.andersen", "k.mensah", "n.ivanova", "o.castillo",
    "u.tanaka", "v.horvat", "w.zhang", "y.cohen", "z.fischer", "b.adeyemi",
]  # fmt: skip

# Severity keys and how often each occurs.
SEVERITIES = [("SEV1", 7), ("SEV2", 20), ("SEV3", 43), ("SEV4", 30)]

# IANA zones the reports are written in; "" leaves the field out, so the
# site default (UTC) applies.
TIMEZONES = [
    "", "UTC", "Europe/Berlin", "Europe/London", "America/New_York",
    "America/Los_Angeles", "Asia/Seoul", "Asia/Tokyo", "Asia/Kolkata",
    "Australia/Sydney", "America/Sao_Paulo", "Africa/Lagos",
]  # fmt: skip

TRIGGERS = [
    "deploy", "config-push", "traffic-spike", "user-behaviour", "dependency",
    "scheduled-job", "hardware-failure", "external-event", "unknown",
]  # fmt: skip

# Root-cause category -> (weight, likely triggers, tags, resources or parts).
CATEGORIES: dict[str, tuple[int, list[str], list[str], list[str]]] = {
    "config-change": (14, ["config-push", "deploy"], ["config", "rollback"],
                      ["timeout setting", "routing rule", "pool size",
                       "retry policy", "feature flag", "memory limit"]),
    "deployment": (12, ["deploy"], ["rollback", "release"],
                   ["canary stage", "rollout plan", "container image",
                    "database migration", "health check", "release script"]),
    "software-bug": (16, ["deploy", "user-behaviour", "scheduled-job"],
                     ["bug", "errors"],
                     ["retry loop", "null check", "pagination code",
                      "cache key", "serialiser", "error handler"]),
    "resource-exhaustion": (10, ["traffic-spike", "scheduled-job", "deploy"],
                            ["capacity-planning", "latency"],
                            ["connection pool", "disk", "memory", "file handles",
                             "thread pool", "inode table"]),
    "capacity": (7, ["traffic-spike", "external-event", "user-behaviour"],
                 ["capacity-planning", "scaling"],
                 ["autoscaler limit", "node pool", "write throughput",
                  "queue consumers", "CPU quota", "shard count"]),
    "dependency-failure": (9, ["dependency", "external-event"],
                           ["third-party", "vendor"],
                           ["payment processor", "SMS provider", "map API",
                            "email relay", "cloud queue", "identity vendor"]),
    "infrastructure": (7, ["hardware-failure", "external-event", "unknown"],
                       ["hardware", "cloud"],
                       ["storage volume", "hypervisor", "power feed",
                        "availability zone", "host kernel", "RAID controller"]),
    "network": (7, ["config-push", "hardware-failure", "traffic-spike"],
                ["network", "dns"],
                ["BGP session", "load balancer pool", "DNS record",
                 "firewall rule", "MTU setting", "NAT gateway"]),
    "certificate-expiry": (4, ["scheduled-job", "unknown"], ["tls", "secrets"],
                           ["client certificate", "TLS certificate",
                            "API key", "signing key", "service token",
                            "intermediate certificate"]),
    "data": (5, ["scheduled-job", "deploy", "user-behaviour"],
             ["data-loss", "migration"],
             ["schema migration", "backfill job", "index", "partition",
              "replication stream", "import file"]),
    "security": (3, ["user-behaviour", "external-event"], ["security", "abuse"],
                 ["login endpoint", "public bucket", "admin token",
                  "webhook secret", "bot traffic", "password reset flow"]),
    "time": (2, ["scheduled-job", "external-event"], ["timezone", "dates"],
             ["daylight saving change", "leap day", "clock drift",
              "month-end rollover", "cron schedule", "token expiry check"]),
    "process": (3, ["deploy", "config-push", "unknown"], ["runbook", "on-call"],
                ["runbook", "change review", "handover", "test plan",
                 "approval step", "escalation path"]),
    "unknown": (1, ["unknown"], ["unresolved"],
                ["request path", "worker pool", "cluster", "proxy tier",
                 "cache tier", "batch run"]),
}  # fmt: skip

SYMPTOMS = [
    ("returned errors", "errors from"),
    ("timed out", "timeouts in"),
    ("was unavailable", "outage of"),
    ("slowed down", "slow responses from"),
    ("served stale data", "stale data in"),
    ("dropped messages", "lost messages in"),
    ("sent duplicate notifications", "duplicate sends from"),
    ("rejected valid requests", "rejected requests in"),
    ("lost writes", "lost writes in"),
    ("fell behind", "backlog in"),
]

AUDIENCES = [
    "customers", "mobile app users", "web users", "merchants", "drivers",
    "partners", "support agents", "customers in Europe", "customers in Asia",
    "new customers", "business customers",
]  # fmt: skip

DETECTION_SOURCES = [
    "the error-rate alert", "the latency alert", "a synthetic check",
    "a customer support ticket", "an engineer watching the deploy dashboard",
    "the queue-depth alert", "a message from a partner", "the SLO burn-rate alert",
    "the disk usage alert", "a spike in crash reports",
]  # fmt: skip

MITIGATIONS = [
    "rolled back the release", "failed over to the replica",
    "scaled the deployment out", "disabled the feature flag",
    "restarted the affected pods", "drained the bad hosts",
    "reverted the configuration", "raised the limit",
    "paused the batch job", "switched traffic to the other region",
    "blocked the abusive clients", "rotated the credentials",
]  # fmt: skip

GAPS = [
    "no alert watched this value",
    "the runbook described an older version of the system",
    "tests ran against a much smaller data set",
    "staging used different limits than production",
    "the change was reviewed by someone outside the owning team",
    "the dashboard averaged the metric over an hour",
    "the failure mode had never been exercised in a game day",
    "the owner of the component had moved to another team",
    "the alert threshold had been raised after a noisy week",
    "nobody owned the shared configuration file",
]  # fmt: skip

LESSONS = [
    "A limit that nobody monitors is a limit that surprises you.",
    "Rollback is the fastest mitigation only when it has been practised.",
    "Staging that differs from production hides whole classes of failure.",
    "Customer reports arrived before our alerts, so detection needs work.",
    "Clear ownership shortened the response once the right team was paged.",
    "Status page updates every 30 minutes kept support tickets down.",
    "Small, reversible changes were easy to undo under pressure.",
    "Retries without jitter turned a small failure into a large one.",
    "Known risks with open action items tend to come back as incidents.",
    "A second pair of eyes on the incident channel caught a wrong assumption.",
]  # fmt: skip

ACTION_VERBS = [
    ("Add an alert on", "for"), ("Write a runbook entry for", "in"),
    ("Add a load test for", "of"), ("Document the limits of", "for"),
    ("Add a canary stage for", "in"), ("Review the defaults of", "in"),
    ("Add a dashboard panel for", "of"), ("Automate the renewal of", "for"),
    ("Add an integration test for", "around"), ("Run a game day on", "for"),
    ("Set an owner for", "of"), ("Add rate limiting to", "on"),
]  # fmt: skip
