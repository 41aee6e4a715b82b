"""Site settings and templates for the same corpus in pmkb, Hugo and Pelican."""

from __future__ import annotations

from pathlib import Path

PMKB_CONFIG = """\
# Settings for the generated benchmark knowledge base.
title = "Benchmark postmortems"
timezone = "UTC"

[targets]
time_to_detect = "10m"
time_to_recover = "1h"
"""

HUGO_CONFIG = """\
# Hugo settings for the generated benchmark corpus.
baseURL = "/"
title = "Benchmark postmortems"
relativeURLs = true
timeZone = "UTC"
enableRobotsTXT = false
disableKinds = ["robotsTXT"]

[taxonomies]
category = "categories"
severity = "severities"
service = "services"
tag = "tags"

[pagination]
pagerSize = 20

[markup.goldmark.renderer]
unsafe = false
"""

BASEOF = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} - {{ end }}{{ site.Title }}</title>
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav>{{ range $name, $terms := site.Taxonomies }}<a href="{{ (print "/" $name "/") | relURL }}">{{ $name }}</a> {{ end }}</nav>
</header>
<main>{{ block "main" . }}{{ end }}</main>
<footer>{{ len site.RegularPages }} postmortems</footer>
</body>
</html>
"""

PAGE_LIST = """\
<ul class="reports">
{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 Jan 2006" }}</time>
{{ range .Params.severities }}<span class="severity">{{ . }}</span>{{ end }}
<p>{{ .Params.impact }}</p></li>
{{ end }}</ul>
{{ with .Paginator }}<nav class="pages">{{ if .HasPrev }}<a href="{{ .Prev.URL }}">Newer</a>{{ end }}
Page {{ .PageNumber }} of {{ .TotalPages }}
{{ if .HasNext }}<a href="{{ .Next.URL }}">Older</a>{{ end }}</nav>{{ end }}
"""

HUGO_LAYOUTS = {
    "baseof.html": BASEOF,
    "home.html": '{{ define "main" }}<h1>Recent postmortems</h1>\n'
    "{{ $paginator := .Paginate site.RegularPages }}" + PAGE_LIST + "{{ end }}\n",
    "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1>\n'
    + PAGE_LIST
    + "{{ end }}\n",
    "term.html": '{{ define "main" }}<h1>{{ .Data.Singular | title }}: {{ .Title }}</h1>\n'
    + PAGE_LIST
    + "{{ end }}\n",
    "taxonomy.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>
{{ end }}</ul>{{ end }}
""",
    "single.html": """\
{{ define "main" }}<article data-pagefind-body>
<h1>{{ .Title }}</h1>
<p class="meta"><time datetime="{{ .Date.Format "2006-01-02T15:04" }}">{{ .Date.Format "2 January 2006 15:04" }}</time>
{{ range .GetTerms "severities" }}<a data-pagefind-filter="severity" href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}
{{ range .GetTerms "categories" }}<a data-pagefind-filter="category" href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}
{{ range .GetTerms "services" }}<a data-pagefind-filter="service" href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
{{ .Content }}
{{ with .Params.related }}<h2>Related incidents</h2>
<ul>{{ range . }}<li><a href="{{ (print "/posts/" . "/") | relURL }}">{{ . }}</a></li>{{ end }}</ul>{{ end }}
</article>{{ end }}
""",
}

PELICAN_CONFIG = """\
# Pelican settings for the generated benchmark corpus: the default theme,
# relative links, and nothing that refers to or fetches from another host.
AUTHOR = "benchmark"
SITENAME = "Benchmark postmortems"
SITEURL = ""
RELATIVE_URLS = True
PATH = "content"
OUTPUT_PATH = "output"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 20
ARTICLE_URL = "{slug}/"
ARTICLE_SAVE_AS = "{slug}/index.html"
# One site-wide Atom feed with relative links, like pmkb's feed.xml. The
# per-category, per-author and translation feeds are off.
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
LINKS = ()
SOCIAL = ()
LOAD_CONTENT_CACHE = False
"""


def write_hugo_site(site_dir: Path) -> None:
    """Write the Hugo configuration and layouts into ``site_dir``."""
    (site_dir / "hugo.toml").write_text(HUGO_CONFIG, "utf-8")
    layouts = site_dir / "layouts"
    layouts.mkdir(parents=True, exist_ok=True)
    for name, text in HUGO_LAYOUTS.items():
        (layouts / name).write_text(text, "utf-8")


def write_pelican_site(site_dir: Path) -> None:
    """Write the Pelican configuration into ``site_dir``."""
    (site_dir / "pelicanconf.py").write_text(PELICAN_CONFIG, "utf-8")
