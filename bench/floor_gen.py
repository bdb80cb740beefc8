"""A page's floor: a bare Streamlit app that draws the same elements from constants.

`tree` rebuilds the element tree of one recorded script run (bench.wsclient messages: every
add_block and new_element delta by its delta path; the last run only). `write_app` turns the trees
of a set of pages into a Streamlit app in a folder: `floor_app.py` declares the same page set with
st.navigation (titles, icons, addresses, hidden menu, as the recorded navigation message lists them)
and the same page config; each recorded page becomes `pages/p<N>.py`, which draws every block and
element again with plain st.* calls (containers with their border and key, columns with their
weights, expanders and st.status, metrics, markdown, headings, alerts, page links, widgets with the
same keys and options, Vega-Lite charts with the same spec and data, tables with the same data and
column config) from constants; tables and chart data are Arrow files in `data/`, read once per
process. `shape` is what a test compares between a page and its floor: each element's kind by
container.
"""

from __future__ import annotations

import json
import pprint
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

if TYPE_CHECKING:
    from streamlit.proto.Delta_pb2 import Delta
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOTS = {0: "main", 1: "sidebar", 2: "event", 3: "bottom"}


class Unsupported(ValueError):
    """The page draws an element or block the floor generator does not know."""


@dataclass
class Node:
    """One block or element at a delta path: every delta sent there (the last one stands)."""

    deltas: list[Delta] = field(default_factory=list)
    children: dict[int, Node] = field(default_factory=dict)

    @property
    def last(self) -> Delta:
        return self.deltas[-1]

    @property
    def kind(self) -> str:
        if self.last.WhichOneof("type") == "add_block":
            return "block:" + (self.last.add_block.WhichOneof("type") or "vertical")
        return self.last.new_element.WhichOneof("type") or "empty"

    def ordered(self) -> list[Node]:
        return [self.children[i] for i in sorted(self.children)]


def tree(messages: list[ForwardMsg]) -> dict[int, Node]:
    """The root containers of the last script run, each holding its blocks and elements."""
    roots: dict[int, Node] = {}
    for msg in messages:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            roots = {}
        elif kind == "delta" and msg.delta.WhichOneof("type") in ("add_block", "new_element"):
            path = list(msg.metadata.delta_path)
            node = roots.setdefault(path[0], Node())
            for i in path[1:]:
                node = node.children.setdefault(i, Node())
            node.deltas.append(msg.delta)
    return roots


def shape(roots: dict[int, Node]) -> list[str]:
    """Every block and element as 'container path: kind', in tree order (what a floor must match)."""

    def walk(node: Node, where: str) -> Iterator[str]:
        for i, child in sorted(node.children.items()):
            yield f"{where}/{i}: {child.kind}"
            yield from walk(child, f"{where}/{i}")

    return [line for r in sorted(roots) for line in walk(roots[r], ROOTS.get(r, str(r)))]


def navigation(messages: list[ForwardMsg]) -> Any:
    """The last navigation message (the app's page set)."""
    found = [m.navigation for m in messages if m.WhichOneof("type") == "navigation"]
    if not found:
        raise Unsupported("the page sent no navigation message")
    return found[-1]


def page_config(messages: list[ForwardMsg]) -> Any:
    found = [m.page_config_changed for m in messages if m.WhichOneof("type") == "page_config_changed"]
    return found[-1] if found else None


# ------------------------------------------------------------------------------- code generation
def _key(proto: Any) -> str | None:
    """The user key in an element id ($$ID-<hash>-<key>), None when the element had none."""
    ident = getattr(proto, "id", "")
    if not ident.startswith("$$ID-"):
        return None
    key = ident.split("-", 2)[2] if ident.count("-") >= 2 else "None"
    return None if key == "None" else key


def _width(config: Any, default: str | None = None) -> Any:
    kind = config.WhichOneof("width_spec")
    if kind == "pixel_width":
        return config.pixel_width
    if kind == "use_content":
        return "content"
    if kind == "use_stretch":
        return "stretch"
    return default


def _height(config: Any) -> Any:
    kind = config.WhichOneof("height_spec")
    if kind == "pixel_height":
        return config.pixel_height
    if kind == "use_stretch":
        return "stretch"
    return None


def _args(*positional: Any, **named: Any) -> str:
    """Python source of call arguments; named ones that are None are left out."""
    parts = [repr(p) for p in positional]
    parts += [f"{k}={v!r}" for k, v in named.items() if v is not None]
    return ", ".join(parts)


_GAPS = {0: None, 1: "small", 2: "medium", 3: "large", 4: None}


def _gap(config: Any) -> str | None:
    if not config.HasField("gap_config"):
        return None
    size = config.gap_config.gap_size
    return _GAPS.get(size) if isinstance(size, int) else None


class Writer:
    """Python source for one floor page, with the Arrow constants it reads."""

    def __init__(self, data_dir: Path, prefix: str, pages: dict[str, str]) -> None:
        self.lines: list[str] = []
        self.data_dir = data_dir
        self.prefix = prefix
        self.pages = pages  # page_script_hash -> the floor's page file
        self.frames = 0
        self.names = 0
        self.constants: list[str] = []  # module-level constants (chart specs, cell styles)

    def line(self, depth: int, text: str) -> None:
        self.lines.append("    " * depth + text)

    def frame(self, arrow: bytes) -> str:
        """An expression for the DataFrame in these Arrow IPC bytes (stored beside the page)."""
        name = f"{self.prefix}-{self.frames}.arrow"
        self.frames += 1
        (self.data_dir / name).write_bytes(arrow)
        return f"frame({name!r})"

    def fresh(self, stem: str) -> str:
        self.names += 1
        return f"{stem}{self.names}"

    # -- blocks
    def block(self, node: Node, depth: int) -> None:
        block = node.last.add_block
        kind = block.WhichOneof("type")
        children = node.ordered()
        if kind == "flex_container" and all(c.kind == "block:column" for c in children) and children:
            self.columns(block, children, depth)
            return
        if kind in ("flex_container", "vertical", None):
            flex = block.flex_container
            horizontal = kind == "flex_container" and flex.direction == flex.HORIZONTAL
            self.line(depth, "with st.container(" + _args(
                border=True if flex.border else None,
                key=_key(block),
                width=_width(block.width_config, "stretch"),
                height=_height(block.height_config),
                horizontal=True if horizontal else None,
                gap=_gap(flex),
            ) + "):")  # fmt: skip
        elif kind == "expandable":
            self.expandable(node, depth)
            return
        else:
            raise Unsupported(f"block {kind}")
        self.body(children, depth + 1)

    def columns(self, block: Any, children: list[Node], depth: int) -> None:
        first = children[0].last.add_block.column
        name = self.fresh("cols")
        self.line(depth, f"{name} = st.columns(" + _args(
            [round(c.last.add_block.column.weight, 6) for c in children],
            gap=_gap(first) or "small",
            vertical_alignment=["top", "center", "bottom"][first.vertical_alignment] if first.vertical_alignment else None,
            border=True if first.show_border else None,
        ) + ")")  # fmt: skip
        for i, child in enumerate(children):
            if child.children:
                self.line(depth, f"with {name}[{i}]:")
                self.body(child.ordered(), depth + 1)

    def expandable(self, node: Node, depth: int) -> None:
        states = [d.add_block.expandable for d in node.deltas]
        final = states[-1]
        if len(states) > 1 or final.state:  # st.status: drawn running, then updated
            first = states[0]
            state = {0: "running", 1: "running", 2: "complete", 3: "error"}
            name = self.fresh("status")
            self.line(
                depth, f"with st.status({_args(first.label, expanded=first.expanded or None)}) as {name}:"
            )
            self.body(node.ordered(), depth + 1)
            if len(states) > 1:
                self.line(
                    depth,
                    f"{name}.update({_args(label=final.label, state=state.get(final.state, 'complete'), expanded=final.expanded)})",
                )
            return  # fmt: skip
        self.line(depth, "with st.expander(" + _args(
            final.label, expanded=final.expanded or None, icon=final.icon or None, key=_key(final) if final.id else None
        ) + "):")  # fmt: skip
        self.body(node.ordered(), depth + 1)

    def body(self, children: list[Node], depth: int) -> None:
        if not children:
            self.line(depth, "pass")
        for child in children:
            if child.last.WhichOneof("type") == "add_block":
                self.block(child, depth)
            else:
                self.element(child.last.new_element, depth)

    # -- elements
    def element(self, element: Any, depth: int) -> None:
        kind = element.WhichOneof("type") or "empty"
        e = getattr(element, kind, None)
        width = _width(element.width_config)
        method = getattr(self, f"_{kind}", None)
        if method is None:
            raise Unsupported(f"element {kind}")
        self.line(depth, method(e, element, width))

    def _markdown(self, e: Any, element: Any, width: Any) -> str:
        kinds = type(e).Type
        if e.element_type == kinds.Value("DIVIDER"):
            return "st.divider()"
        if e.element_type == kinds.Value("CAPTION"):
            return f"st.caption({_args(e.body, unsafe_allow_html=e.allow_html or None, help=e.help or None)})"
        return f"st.markdown({_args(e.body, unsafe_allow_html=e.allow_html or None, help=e.help or None)})"

    def _heading(self, e: Any, element: Any, width: Any) -> str:
        call = {"h1": "st.title", "h2": "st.header", "h3": "st.subheader"}.get(e.tag)
        if call is None:
            return f"st.markdown({'#' * int(e.tag[1:]) + ' ' + e.body!r})"
        anchor = False if e.hide_anchor else (e.anchor or None)
        return f"{call}({_args(e.body, anchor=anchor, help=e.help or None, divider=e.divider or None)})"

    def _empty(self, e: Any, element: Any, width: Any) -> str:
        return "st.empty()"

    def _text(self, e: Any, element: Any, width: Any) -> str:
        return f"st.text({_args(e.body, help=e.help or None)})"

    def _alert(self, e: Any, element: Any, width: Any) -> str:
        call = {1: "st.error", 2: "st.warning", 3: "st.info", 4: "st.success"}.get(e.format)
        if call is None:
            raise Unsupported(f"alert format {e.format}")
        return f"{call}({_args(e.body, icon=e.icon or None)})"

    def _html(self, e: Any, element: Any, width: Any) -> str:
        return f"st.html({_args(e.body, width=width if isinstance(width, int) else None, unsafe_allow_javascript=e.unsafe_allow_javascript or None)})"  # fmt: skip

    def _metric(self, e: Any, element: Any, width: Any) -> str:
        delta = e.delta or None
        colour = type(e).MetricColor.Name(e.color).lower() if delta else None
        arrow = {0: "down", 1: "up", 2: "off"}[e.direction] if delta else None
        return "st.metric(" + _args(
            e.label, e.body, delta=delta, delta_color=colour, delta_arrow=arrow, help=e.help or None,
            border=True if e.show_border else None,
        ) + ")"  # fmt: skip

    def _page_link(self, e: Any, element: Any, width: Any) -> str:
        target = self.pages.get(e.page_script_hash)
        if target is None:
            raise Unsupported(f"page link to an unknown page {e.page}")
        query = dict(parse_qsl(e.query_string)) or None
        return "st.page_link(" + _args(target, label=e.label, icon=e.icon or None, help=e.help or None,
                                       width=width, query_params=query, disabled=e.disabled or None) + ")"  # fmt: skip

    def _selectbox(self, e: Any, element: Any, width: Any) -> str:
        options = list(e.options)
        index = options.index(e.raw_value) if e.raw_value in options else e.default
        return f"st.selectbox({_args(e.label, options, index=index, key=_key(e), help=e.help or None)})"

    def _radio(self, e: Any, element: Any, width: Any) -> str:
        options = list(e.options)
        index = options.index(e.raw_value) if e.raw_value in options else e.default
        return (
            f"st.radio({_args(e.label, options, index=index, key=_key(e), horizontal=e.horizontal or None)})"
        )

    def _text_input(self, e: Any, element: Any, width: Any) -> str:
        return "st.text_input(" + _args(
            e.label, e.value if e.set_value else e.default, max_chars=e.max_chars or None, key=_key(e),
            placeholder=e.placeholder or None, help=e.help or None,
        ) + ")"  # fmt: skip

    def _number_input(self, e: Any, element: Any, width: Any) -> str:
        cast = int if e.data_type == type(e).INT else float
        return "st.number_input(" + _args(
            e.label, min_value=cast(e.min) if e.has_min else None, max_value=cast(e.max) if e.has_max else None,
            value=cast(e.value if e.set_value else e.default), step=cast(e.step), format=e.format or None,
            key=_key(e),
        ) + ")"  # fmt: skip

    def _download_button(self, e: Any, element: Any, width: Any) -> str:
        data = "deferred" if e.deferred_file_id else "b''"  # a callable: the file is made on a click
        return f"st.download_button({e.label!r}, {data}, " + _args(
            key=_key(e), type=e.type or None, icon=e.icon or None, width=width,
            on_click="ignore" if e.ignore_rerun else None,
        ) + ")"  # fmt: skip

    def _vega_lite_chart(self, e: Any, element: Any, width: Any) -> str:
        spec = json.loads(e.spec)
        name = self.fresh("spec")
        sets = {d.name: self.frame(d.data.data) for d in e.datasets}
        data = self.frame(e.data.data) if e.data.data else None
        self.constants.append(f"{name.upper()} = {pprint.pformat(spec, width=110, sort_dicts=False)}")
        datasets = "{" + ", ".join(f"{k!r}: {v}" for k, v in sets.items()) + "}"
        args = f"{{**{name.upper()}, 'datasets': {datasets}}}" if sets else name.upper()
        extra = _args(width=width, theme=None if e.theme else "None")
        extra = extra.replace("theme='None'", "theme=None")
        return f"st.vega_lite_chart({data + ', ' if data else ''}{args}{', ' + extra if extra else ''})"

    def _dataframe(self, e: Any, element: Any, width: Any) -> str:
        data = self.frame(e.arrow_data.data)
        if e.editing_mode:
            raise Unsupported("data_editor")
        styler = e.arrow_data.styler
        if styler.styles:
            css = self.fresh("CSS")
            self.constants.append(f"{css} = {_cells(styler.styles)!r}")
            data = f"styled({data}, {css})"
        config = json.loads(e.columns) if e.columns else None
        return f"st.dataframe({data}, " + _args(
            width=width, height=_height(element.height_config), column_config=config,
            placeholder=e.placeholder or None, column_order=list(e.column_order) or None,
            row_height=e.row_height or None,
        ) + ")"  # fmt: skip


def _cells(styles: str) -> dict[tuple[int, int], str]:
    """A Styler's CSS rules (#T_<uuid>_row<r>_col<c>, … { … }) as {(row, col): css}."""
    out: dict[tuple[int, int], str] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", styles):
        css = " ".join(part.strip() for part in body.strip().split("\n") if part.strip())
        for r, c in re.findall(r"_row(\d+)_col(\d+)", selectors):
            key = (int(r), int(c))
            out[key] = (out.get(key, "") + " " + css).strip()
    return out


HEADER = '''"""Floor of {title}: generated by bench.floor_gen from one recorded page load (do not edit)."""
# ruff: noqa
import streamlit as st

from floor_support import deferred, frame, styled
'''

APP = '''"""The floor app: the recorded page set and page config; each page draws constants."""
# ruff: noqa
import streamlit as st

st.set_page_config({config})
st.navigation(
    [
{pages}
    ],
    position={position!r},
).run()
'''

SUPPORT = '''"""What the floor pages share: the constant tables, read once per process."""
# ruff: noqa
import functools
from pathlib import Path

import pyarrow as pa

DATA = Path(__file__).resolve().parent / "data"


@functools.cache
def frame(name):
    with pa.ipc.open_stream((DATA / name).read_bytes()) as reader:
        return reader.read_all().to_pandas()


def styled(data, cells):
    """The frame with the recorded per-cell CSS, as the page's Styler drew it."""

    def css(df):
        out = df.astype(str).copy()
        for r in range(len(df)):
            for c in range(len(df.columns)):
                out.iat[r, c] = cells.get((r, c), "")
        return out

    return data.style.apply(css, axis=None)


def deferred():
    return b""
'''


def write_app(
    folder: Path,
    recordings: dict[str, list[ForwardMsg]],
    config_toml: Path | None = None,
) -> dict[str, str]:
    """Write the floor app for the recorded pages ({address path: messages}) into `folder`;
    return {address path: floor page file}."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pages").mkdir(exist_ok=True)
    (folder / "data").mkdir(exist_ok=True)
    (folder / "floor_support.py").write_text(SUPPORT, encoding="utf-8")
    if config_toml is not None:
        (folder / ".streamlit").mkdir(exist_ok=True)
        (folder / ".streamlit" / "config.toml").write_text(
            config_toml.read_text(encoding="utf-8"), encoding="utf-8"
        )
    first = next(iter(recordings.values()))
    nav = navigation(first)
    files = {p.page_script_hash: f"pages/p{i}.py" for i, p in enumerate(nav.app_pages)}
    page_lines = []
    for p in nav.app_pages:
        page_lines.append("        st.Page(" + _args(
            files[p.page_script_hash], title=p.page_name, icon=p.icon or None,
            url_path=p.url_pathname or None if not p.is_default else None, default=p.is_default or None,
        ) + "),")  # fmt: skip
        (folder / files[p.page_script_hash]).write_text(
            HEADER.format(title=p.page_name) + "\nst.caption('floor')\n", encoding="utf-8"
        )
    cfg = page_config(first)
    layout = {0: "centered", 1: "wide"}.get(cfg.layout) if cfg is not None else None
    icon = cfg.favicon.removeprefix("emoji:") if cfg is not None and cfg.favicon else None
    config = _args(page_title=cfg.title or None,
                   page_icon=icon, layout=layout) if cfg is not None else ""  # fmt: skip
    position = "hidden" if nav.position == type(nav).HIDDEN else "sidebar"
    (folder / "floor_app.py").write_text(
        APP.format(config=config, pages="\n".join(page_lines), position=position), encoding="utf-8"
    )
    by_path = {"/" + (p.url_pathname or ""): p for p in nav.app_pages}
    out = {}
    for path, messages in recordings.items():
        page = by_path.get(path if path != "" else "/")
        if page is None:
            raise Unsupported(f"{path} is not in the app's page set")
        out[path] = files[page.page_script_hash]
        (folder / out[path]).write_text(page_source(tree(messages), page.page_name, folder / "data",
                                                     f"p{list(files).index(page.page_script_hash)}", files),
                                        encoding="utf-8")  # fmt: skip
    return out


def page_source(
    roots: dict[int, Node], title: str, data_dir: Path, prefix: str, pages: dict[str, str]
) -> str:
    """The floor page's Python source: every root container's blocks and elements, in order."""
    w = Writer(data_dir, prefix, pages)
    for r in (1, 2, 0, 3):
        if r not in roots:
            continue
        if r == 1:
            w.line(0, "with st.sidebar:")
            w.body(roots[r].ordered(), 1)
        elif r == 3:
            w.line(0, "with st._bottom:")
            w.body(roots[r].ordered(), 1)
        else:
            w.body(roots[r].ordered(), 0)
    return HEADER.format(title=title) + "\n" + "\n".join(w.constants) + "\n\n" + "\n".join(w.lines) + "\n"
