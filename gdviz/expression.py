"""Formulas in x and y, parsed safely and differentiated exactly.

The text is parsed by Python's parser into a syntax tree (which runs
nothing), then every node is checked against a whitelist and rebuilt as a
small tree of our own: numbers, ``x``, ``y``, ``pi``, ``e``, ``+ - * / **``,
unary minus and the functions ``sin cos tan exp log sqrt tanh abs``.
Anything else is refused with a ``ValueError`` naming it. Numbers become
floats at once, so ``9**9**9**9`` is ``inf``, not an endless integer
computation. Derivatives are symbolic, by the chain rule, on our tree.

Examples
--------
>>> f = parse("(1-x)**2 + 100*(y-x**2)**2")
>>> float(f.evaluate(1.0, 1.0))
0.0
>>> str(derivative(parse("x**3 + sin(y)"), "x"))
'3.0 * x ** 2.0'
"""
from __future__ import annotations

import ast
import re
import math

import numpy as np

from .words.i18n import N_, _, listed

MAX_LENGTH = 1000
MAX_DEPTH = 60
VARIABLES = ("x", "y")
CONSTANTS = {"pi": math.pi, "e": math.e}
FUNCTIONS = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "exp": np.exp, "log": np.log,
    "sqrt": np.sqrt, "tanh": np.tanh, "abs": np.abs,
    "sign": np.sign,  # used by the derivative of abs; not offered to users
}
USER_FUNCTIONS = ("sin", "cos", "tan", "exp", "log", "sqrt", "tanh", "abs")


# -- the tree ---------------------------------------------------------------
class Node:
    precedence = 100

    def evaluate(self, x, y):
        raise NotImplementedError


class Number(Node):
    def __init__(self, value: float):
        self.value = float(value)

    def evaluate(self, x, y):
        return self.value

    def __str__(self):
        return repr(self.value) if self.value >= 0 else f"({self.value!r})"


class Variable(Node):
    def __init__(self, name: str):
        self.name = name

    def evaluate(self, x, y):
        return x if self.name == "x" else y

    def __str__(self):
        return self.name


class Negate(Node):
    precedence = 5

    def __init__(self, operand: Node):
        self.operand = operand

    def evaluate(self, x, y):
        return -self.operand.evaluate(x, y)

    def __str__(self):
        return f"-{_wrap(self.operand, self.precedence)}"


_OPERATORS = {"+": (1, np.add), "-": (1, np.subtract), "*": (2, np.multiply),
              "/": (2, np.divide), "**": (6, np.power)}


class Binary(Node):
    def __init__(self, op: str, left: Node, right: Node):
        self.op, self.left, self.right = op, left, right
        self.precedence, self._function = _OPERATORS[op]

    def evaluate(self, x, y):
        return self._function(self.left.evaluate(x, y), self.right.evaluate(x, y))

    def __str__(self):
        right_level = self.precedence + (0 if self.op in "+*" else 1)
        if self.op == "**":
            return f"{_wrap(self.left, self.precedence + 1)} ** {_wrap(self.right, 5)}"
        return f"{_wrap(self.left, self.precedence)} {self.op} {_wrap(self.right, right_level)}"


class Call(Node):
    def __init__(self, name: str, argument: Node):
        self.name, self.argument = name, argument
        self._function = FUNCTIONS[name]

    def evaluate(self, x, y):
        return self._function(self.argument.evaluate(x, y))

    def __str__(self):
        return f"{self.name}({self.argument})"


def _wrap(node: Node, level: int) -> str:
    return f"({node})" if node.precedence < level else str(node)


# -- building with light simplification ----------------------------------------
def _is(node: Node, value: float) -> bool:
    return isinstance(node, Number) and node.value == value


def add(a, b):
    if _is(a, 0):
        return b
    if _is(b, 0):
        return a
    if isinstance(a, Number) and isinstance(b, Number):
        return Number(a.value + b.value)
    return Binary("+", a, b)


def sub(a, b):
    if _is(b, 0):
        return a
    if _is(a, 0):
        return neg(b)
    if isinstance(a, Number) and isinstance(b, Number):
        return Number(a.value - b.value)
    return Binary("-", a, b)


def mul(a, b):
    if _is(a, 0) or _is(b, 0):
        return Number(0.0)
    if _is(a, 1):
        return b
    if _is(b, 1):
        return a
    if isinstance(a, Number) and isinstance(b, Number):
        return Number(a.value * b.value)
    return Binary("*", a, b)


def div(a, b):
    if _is(b, 1):
        return a
    if _is(a, 0) and not _is(b, 0):
        return Number(0.0)
    return Binary("/", a, b)


def power(a, b):
    if _is(b, 1):
        return a
    if _is(b, 0):
        return Number(1.0)
    return Binary("**", a, b)


def neg(a):
    if isinstance(a, Number):
        return Number(-a.value)
    if isinstance(a, Negate):
        return a.operand
    return Negate(a)


def call(name, a):
    return Call(name, a)


# -- parsing ----------------------------------------------------------------------
_AST_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_REFUSED_OPERATORS = {
    ast.BitXor: N_("'^' is not a power here: write x**2"),
    ast.FloorDiv: N_("'//' is not allowed: use '/'"),
    ast.Mod: N_("'%' is not allowed"),
    ast.MatMult: N_("'@' is not allowed"),
    ast.BitAnd: N_("'&' is not allowed"),
    ast.BitOr: N_("'|' is not allowed"),
    ast.LShift: N_("'<<' is not allowed"),
    ast.RShift: N_("'>>' is not allowed"),
}
_NODE_WORDS = {
    ast.Attribute: N_("attribute access"), ast.Lambda: "'lambda'",
    ast.ListComp: N_("a comprehension"), ast.SetComp: N_("a comprehension"),
    ast.DictComp: N_("a comprehension"), ast.GeneratorExp: N_("a comprehension"),
    ast.Subscript: N_("indexing"), ast.Compare: N_("a comparison"),
    ast.BoolOp: "'and'/'or'", ast.IfExp: "'if ... else'", ast.List: N_("a list"),
    ast.Tuple: N_("a tuple"), ast.Dict: N_("a dictionary"), ast.Set: N_("a set"),
    ast.JoinedStr: N_("a string"), ast.NamedExpr: "':='", ast.Await: "'await'",
    ast.Starred: N_("'*' unpacking"), ast.Slice: N_("a slice"),
}


def size(node: Node) -> int:
    """How many nodes the tree has (its cost: each is one NumPy operation a step).

    >>> size(parse("x**2 + sin(y)"))
    6
    """
    return 1 + sum(size(child) for child in vars(node).values() if isinstance(child, Node))


def parse(text: str) -> Node:
    """Parse a formula in ``x`` and ``y`` into a tree; ``ValueError`` if it is not math."""
    if not isinstance(text, str):
        raise ValueError(_("the formula must be text, got {kind}").format(
            kind=type(text).__name__))
    if not text.strip():
        raise ValueError(_("the formula is empty"))
    if len(text) > MAX_LENGTH:
        raise ValueError(_("the formula is longer than {count} characters").format(
            count=MAX_LENGTH))
    if "\x00" in text:
        raise ValueError(_("the formula contains a NUL character"))
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        if error.offset:
            raise ValueError(_("the formula is not valid math at column {column}: {error}")
                             .format(column=error.offset, error=_syntax(error.msg))) from None
        raise ValueError(_("the formula is not valid math: {error}").format(
            error=_syntax(error.msg))) from None
    except (RecursionError, MemoryError):
        raise ValueError(_("the formula is nested too deeply")) from None
    except ValueError as error:  # e.g. a number with thousands of digits
        raise ValueError(_("the formula is not valid math: {error}").format(
            error=error)) from None
    return _convert(tree.body, text, 0)


def _syntax(message: str) -> str:
    """Python's words for a syntax error, in gdviz's language where it has them."""
    words = {"invalid syntax": _("invalid syntax"),
             "unexpected EOF while parsing": _("the formula ends too early"),
             "unterminated string literal": _("a quote is not closed"),
             "invalid character": _("a character that is not math"),
             "invalid decimal literal": _("a number written wrongly")}
    for english, said in words.items():
        if message.startswith(english):
            return said
    closed = re.match(r"'(.)' was never closed", message)
    if closed:
        return _("'{mark}' is never closed").format(mark=closed.group(1))
    unmatched = re.match(r"unmatched '(.)'", message)
    if unmatched:
        return _("'{mark}' has no partner").format(mark=unmatched.group(1))
    return message


def _segment(node, text) -> str:
    try:
        part = ast.get_source_segment(text.strip(), node)
    except Exception:  # noqa: BLE001 - only for the message
        part = None
    return _(" ('{part}')").format(part=part) if part else ""


def _convert(node, text, depth) -> Node:
    if depth > MAX_DEPTH:
        raise ValueError(_("the formula is nested more than {count} levels deep").format(
            count=MAX_DEPTH))
    depth += 1
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(_("only numbers are allowed as constants, not {value!r}").format(
                value=value))
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        return Number(number)
    if isinstance(node, ast.Name):
        if node.id in VARIABLES:
            return Variable(node.id)
        if node.id in CONSTANTS:
            return Number(CONSTANTS[node.id])
        if node.id in USER_FUNCTIONS:
            raise ValueError(_("'{name}' is a function: write {name}(...)").format(
                name=node.id))
        raise ValueError(_("unknown name '{name}': use x, y, pi, e").format(name=node.id))
    if isinstance(node, ast.UnaryOp):
        operand = _convert(node.operand, text, depth)
        if isinstance(node.op, ast.USub):
            return neg(operand)
        if isinstance(node.op, ast.UAdd):
            return operand
        raise ValueError(_("'{operator}' is not allowed{segment}").format(
            operator=_unary_word(node.op), segment=_segment(node, text)))
    if isinstance(node, ast.BinOp):
        op_type = type(node.op)
        if op_type in _REFUSED_OPERATORS:
            raise ValueError(_(_REFUSED_OPERATORS[op_type]) + _segment(node, text))
        left = _convert(node.left, text, depth)
        right = _convert(node.right, text, depth)
        return Binary(_AST_OPERATORS[op_type], left, right)
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in USER_FUNCTIONS:
            # Name what was written, even where it is not a plain name: '(x)(y)', 'a.b(x)'.
            shown = ast.get_source_segment(text.strip(), node.func) or ast.unparse(node.func)
            raise ValueError(_("unknown function '{name}': use {known}").format(
                name=shown.strip(), known=listed(USER_FUNCTIONS)))
        if node.keywords or len(node.args) != 1:
            raise ValueError(_("{name}() takes exactly one argument{segment}").format(
                name=name, segment=_segment(node, text)))
        return Call(name, _convert(node.args[0], text, depth))
    word = _NODE_WORDS.get(type(node))
    word = _(word) if word is not None else f"'{type(node).__name__}'"
    raise ValueError(_("{what} is not allowed in a formula{segment}").format(
        what=word, segment=_segment(node, text)))


def _unary_word(op) -> str:
    return {ast.Not: "not", ast.Invert: "~"}.get(type(op), type(op).__name__)


# -- differentiation ------------------------------------------------------------
def derivative(node: Node, variable: str) -> Node:
    """The exact partial derivative of ``node`` with respect to ``variable``."""
    d = derivative
    if isinstance(node, Number):
        return Number(0.0)
    if isinstance(node, Variable):
        return Number(1.0 if node.name == variable else 0.0)
    if isinstance(node, Negate):
        return neg(d(node.operand, variable))
    if isinstance(node, Binary):
        u, v = node.left, node.right
        du, dv = d(u, variable), d(v, variable)
        if node.op == "+":
            return add(du, dv)
        if node.op == "-":
            return sub(du, dv)
        if node.op == "*":
            return add(mul(du, v), mul(u, dv))
        if node.op == "/":
            return div(sub(mul(du, v), mul(u, dv)), power(v, Number(2.0)))
        # u ** v
        if _is(dv, 0):  # constant exponent: v * u**(v-1) * u'
            if _is(du, 0):
                return Number(0.0)
            return mul(mul(v, power(u, sub(v, Number(1.0)))), du)
        if _is(du, 0):  # constant base: u**v * log(u) * v'
            return mul(mul(node, call("log", u)), dv)
        return mul(node, add(mul(dv, call("log", u)), div(mul(v, du), u)))
    if isinstance(node, Call):
        u = node.argument
        du = d(u, variable)
        if _is(du, 0):
            return Number(0.0)
        outer = {
            "sin": lambda: call("cos", u),
            "cos": lambda: neg(call("sin", u)),
            "tan": lambda: add(Number(1.0), power(call("tan", u), Number(2.0))),
            "exp": lambda: call("exp", u),
            "log": lambda: div(Number(1.0), u),
            "sqrt": lambda: div(Number(0.5), call("sqrt", u)),
            "tanh": lambda: sub(Number(1.0), power(call("tanh", u), Number(2.0))),
            "abs": lambda: call("sign", u),
            "sign": lambda: Number(0.0),
        }[node.name]()
        return mul(outer, du)
    raise TypeError(f"not a formula node: {node!r}")


def variables_in(node: Node) -> set[str]:
    """The variable names a formula uses."""
    if isinstance(node, Variable):
        return {node.name}
    children = [getattr(node, name) for name in ("operand", "left", "right", "argument")
                if hasattr(node, name)]
    found: set[str] = set()
    for child in children:
        found |= variables_in(child)
    return found
