"""A small, safe expression language for derived values and validation rules.

Administrators type formulas such as `G2.1.num <= G2.1.den` or `max(A1.1, 0) + A3.4 >= 5`, so the
language is parsed by hand from a whitelist — never `eval` — and every failure is a Chinese
`ExpressionError` naming the position.

    expression  := or
    or          := and ("or" and)*
    and         := not ("and" not)*
    not         := "not" not | comparison
    comparison  := sum [("==" | "!=" | "<" | "<=" | ">" | ">=") sum]
    sum         := product (("+" | "-") product)*
    product     := unary (("*" | "/") unary)*
    unary       := "-" unary | primary
    primary     := NUMBER | "true" | "false" | REFERENCE | FUNCTION "(" [expression ("," expression)*] ")"
                 | "(" expression ")"
    REFERENCE   := CODE ["." ("value" | "num" | "den" | "rate")]     e.g. G2.1  G2.1.num  K1.value

A reference to a value that is missing, or a rate or division with a zero denominator, makes the
whole expression *undefined* (`Undefined` is raised): a rule cannot be checked on data that is not
there yet, and "no such cases" is not a number.
"""

import datetime
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TypeVar

from .readings import IndicatorReading

MAX_LENGTH = 1000
MAX_DEPTH = 40

ATTRIBUTES = ("value", "num", "den", "rate")
KEYWORDS = ("and", "or", "not", "true", "false")
COMPARISONS = ("==", "!=", "<=", ">=", "<", ">")


class ExpressionError(ValueError):
    """The formula is malformed or cannot be evaluated (wrong types); the message is Chinese."""


class Undefined(Exception):  # not an error: a value the rule cannot be checked without
    """A referenced value is missing, or a denominator is zero."""


# --- syntax tree ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    value: Decimal


@dataclass(frozen=True)
class Boolean:
    value: bool


@dataclass(frozen=True)
class Reference:
    code: str
    attribute: str = "value"


@dataclass(frozen=True)
class Unary:
    operator: str  # "-" or "not"
    operand: "Node"


@dataclass(frozen=True)
class Binary:
    operator: str
    left: "Node"
    right: "Node"


@dataclass(frozen=True)
class Call:
    name: str
    arguments: tuple["Node", ...]


Node = Number | Boolean | Reference | Unary | Binary | Call


# --- tokens --------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<name>[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)
  | (?P<operator>==|!=|<=|>=|<|>|\+|-|\*|/|\(|\)|,)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    kind: str  # number, name, operator, end
    text: str
    position: int


def tokenize(source: str) -> list[Token]:
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"公式过长（不超过 {MAX_LENGTH} 个字符）")
    tokens = []
    position = 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None:
            raise ExpressionError(f"第 {position + 1} 个字符“{source[position]}”无法识别")
        kind = match.lastgroup  # every alternative of _TOKEN is a named group
        if kind is None:
            raise ExpressionError(f"第 {position + 1} 个字符“{source[position]}”无法识别")
        if kind != "space":
            tokens.append(Token(kind, match.group(), position))
        position = match.end()
    tokens.append(Token("end", "", len(source)))
    return tokens


# --- parser --------------------------------------------------------------------------------


class _Parser:
    def __init__(self, source: str):
        self.tokens = tokenize(source)
        self.index = 0
        self.depth = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def accept(self, *texts: str) -> Token | None:
        token = self.current
        if token.kind in ("operator", "name") and token.text in texts:
            return self.advance()
        return None

    def expect(self, text: str) -> None:
        if self.accept(text) is None:
            raise self.error(f"此处应为“{text}”")

    def error(self, message: str) -> ExpressionError:
        token = self.current
        found = "公式结尾" if token.kind == "end" else f"“{token.text}”"
        return ExpressionError(f"第 {token.position + 1} 个字符（{found}）：{message}")

    def parse(self) -> Node:
        if self.current.kind == "end":
            raise ExpressionError("公式为空")
        node = self.expression()
        if self.current.kind != "end":
            raise self.error("多余的内容")
        return node

    def expression(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error("公式嵌套过深")
        node = self.disjunction()
        self.depth -= 1
        return node

    def disjunction(self) -> Node:
        node = self.conjunction()
        while self.accept("or"):
            node = Binary("or", node, self.conjunction())
        return node

    def conjunction(self) -> Node:
        node = self.negation()
        while self.accept("and"):
            node = Binary("and", node, self.negation())
        return node

    def negation(self) -> Node:
        if self.accept("not"):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.error("公式嵌套过深")
            node = Unary("not", self.negation())
            self.depth -= 1
            return node
        return self.comparison()

    def comparison(self) -> Node:
        node = self.sum()
        token = self.accept(*COMPARISONS)
        if token:
            node = Binary(token.text, node, self.sum())
            if self.current.text in COMPARISONS:
                raise self.error("比较不能连写，请用 and 连接")
        return node

    def sum(self) -> Node:
        node = self.product()
        while token := self.accept("+", "-"):
            node = Binary(token.text, node, self.product())
        return node

    def product(self) -> Node:
        node = self.unary()
        while token := self.accept("*", "/"):
            node = Binary(token.text, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.accept("-"):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.error("公式嵌套过深")
            node = Unary("-", self.unary())
            self.depth -= 1
            return node
        return self.primary()

    def primary(self) -> Node:
        token = self.current
        if token.kind == "number":
            self.advance()
            return Number(Decimal(token.text))
        if self.accept("("):
            node = self.expression()
            self.expect(")")
            return node
        if token.kind == "name":
            return self.name()
        raise self.error("此处应为数值、指标编码、函数或括号")

    def name(self) -> Node:
        token = self.advance()
        text = token.text
        if text in ("true", "false"):
            return Boolean(text == "true")
        if text in KEYWORDS:
            self.index -= 1
            raise self.error("此处应为数值、指标编码、函数或括号")
        if self.current.text == "(":
            if text not in FUNCTIONS:
                self.index -= 1
                raise self.error(f"未知函数，可用函数：{'、'.join(sorted(FUNCTIONS))}")
            self.advance()
            arguments = []
            if not self.accept(")"):
                arguments.append(self.expression())
                while self.accept(","):
                    arguments.append(self.expression())
                self.expect(")")
            low, high = FUNCTIONS[text].arity
            if not low <= len(arguments) <= (high if high is not None else len(arguments)):
                raise ExpressionError(f"函数 {text} 的参数个数不对")
            return Call(text, tuple(arguments))
        code, _, attribute = text.rpartition(".")
        if not (attribute in ATTRIBUTES and code):
            code, attribute = text, "value"
        if not code[0].isupper() or code.rsplit(".", 1)[-1] in ATTRIBUTES:
            self.index -= 1
            raise self.error("指标编码应以大写字母开头，如 G2.1；属性只能是 value、num、den、rate")
        return Reference(code, attribute)


@functools.lru_cache(maxsize=4096)
def parse(source: str) -> Node:
    """Parse a formula into a syntax tree, or raise ExpressionError with a Chinese message.

    Remembered (trees are immutable): every entry and review page checks the framework's relations,
    and parsing the same few dozen formulas again was a tenth of building the entry page."""
    return _Parser(source).parse()


# --- evaluation ----------------------------------------------------------------------------

Value = Decimal | bool | datetime.date


@dataclass(frozen=True)
class Function:
    arity: tuple[int, int | None]
    apply: Callable[..., Value]


def _numbers(name: str, arguments: tuple[Value, ...]) -> tuple[Decimal, ...]:
    numbers = tuple(argument for argument in arguments if isinstance(argument, Decimal))
    if len(numbers) != len(arguments):
        raise ExpressionError(f"函数 {name} 的参数须为数值")
    return numbers


def _round(value: Value, places: Value = Decimal(0)) -> Decimal:
    number, digits = _numbers("round", (value, places))
    if not 0 <= digits <= 10 or digits != digits.to_integral_value():
        raise ExpressionError("函数 round 的小数位数须为 0 到 10 的整数")
    return number.quantize(Decimal(1).scaleb(-int(digits)), rounding=ROUND_HALF_UP)


def _if(condition: Value, then: Value, otherwise: Value) -> Value:
    if not isinstance(condition, bool):
        raise ExpressionError("函数 if 的第一个参数须为条件")
    return then if condition else otherwise


FUNCTIONS: dict[str, Function] = {
    "abs": Function((1, 1), lambda x: abs(_numbers("abs", (x,))[0])),
    "min": Function((1, None), lambda *xs: min(_numbers("min", xs))),
    "max": Function((1, None), lambda *xs: max(_numbers("max", xs))),
    "round": Function((1, 2), _round),
    "if": Function((3, 3), _if),
}

Resolver = Mapping[str, IndicatorReading]


def _lookup(reference: Reference, readings: Resolver) -> Value:
    reading = readings.get(reference.code)
    if reading is None:
        raise Undefined(reference.code)
    value: Decimal | bool | datetime.date | str | None
    if reference.attribute == "num":
        value = reading.numerator
    elif reference.attribute == "den":
        value = reading.denominator
    elif reference.attribute == "rate" or reading.is_rate:
        value = reading.rate
    else:
        value = reading.measure
    if value is None or isinstance(value, str):
        raise Undefined(reference.code)
    if isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    return value


def _arithmetic(operator: str, left: Value, right: Value) -> Decimal:
    if not (isinstance(left, Decimal) and isinstance(right, Decimal)):
        raise ExpressionError(f"“{operator}”两边须为数值")
    if operator == "+":
        return left + right
    if operator == "-":
        return left - right
    if operator == "*":
        return left * right
    if right == 0:
        raise Undefined("/0")
    return left / right


def _compare(operator: str, left: Value, right: Value) -> bool:
    if operator in ("==", "!="):
        if isinstance(left, bool) != isinstance(right, bool):
            raise ExpressionError("不能比较条件与数值")
        return (left == right) == (operator == "==")
    if isinstance(left, Decimal) and isinstance(right, Decimal):
        return _order(operator, left, right)
    if isinstance(left, datetime.date) and isinstance(right, datetime.date) and type(left) is type(right):
        return _order(operator, left, right)
    raise ExpressionError(f"“{operator}”两边须为同类数值或日期")


_Ordered = TypeVar("_Ordered", Decimal, datetime.date)


def _order(operator: str, left: _Ordered, right: _Ordered) -> bool:
    if operator == "<":
        return left < right
    if operator == "<=":
        return left <= right
    if operator == ">":
        return left > right
    return left >= right


def _truth(value: Value, operator: str) -> bool:
    if not isinstance(value, bool):
        raise ExpressionError(f"“{operator}”两边须为条件")
    return value


def evaluate(node: Node, readings: Resolver) -> Value:
    """Evaluate a parsed formula. Raises Undefined for missing data, ExpressionError for type errors."""
    try:
        return _evaluate(node, readings)
    except InvalidOperation as error:
        raise ExpressionError("数值超出可计算范围") from error


def _evaluate(node: Node, readings: Resolver) -> Value:
    if isinstance(node, Number | Boolean):
        return node.value
    if isinstance(node, Reference):
        return _lookup(node, readings)
    if isinstance(node, Unary):
        operand = _evaluate(node.operand, readings)
        if node.operator == "not":
            return not _truth(operand, "not")
        if not isinstance(operand, Decimal):
            raise ExpressionError("负号后须为数值")
        return -operand
    if isinstance(node, Call):
        return FUNCTIONS[node.name].apply(*(_evaluate(argument, readings) for argument in node.arguments))
    if node.operator == "and":
        return _truth(_evaluate(node.left, readings), "and") and _truth(_evaluate(node.right, readings), "and")
    if node.operator == "or":
        return _truth(_evaluate(node.left, readings), "or") or _truth(_evaluate(node.right, readings), "or")
    left, right = _evaluate(node.left, readings), _evaluate(node.right, readings)
    if node.operator in COMPARISONS:
        return _compare(node.operator, left, right)
    return _arithmetic(node.operator, left, right)


def references(node: Node) -> set[str]:
    """The indicator codes a formula reads."""
    if isinstance(node, Reference):
        return {node.code}
    if isinstance(node, Unary):
        return references(node.operand)
    if isinstance(node, Binary):
        return references(node.left) | references(node.right)
    if isinstance(node, Call):
        return set().union(*(references(argument) for argument in node.arguments))
    return set()


def references_of(node: Node) -> list[Reference]:
    """The references a formula reads, in reading order, each once (G2.1.num and G2.1.den apart)."""
    if isinstance(node, Reference):
        return [node]
    children: tuple[Node, ...] = ()
    if isinstance(node, Unary):
        children = (node.operand,)
    elif isinstance(node, Binary):
        children = (node.left, node.right)
    elif isinstance(node, Call):
        children = tuple(node.arguments)
    found: list[Reference] = []
    for child in children:
        found += [reference for reference in references_of(child) if reference not in found]
    return found


def to_source(node: Node) -> str:
    """Canonical text of a tree (fully parenthesised), so parse(to_source(tree)) == tree."""
    if isinstance(node, Number):
        return format(node.value, "f")
    if isinstance(node, Boolean):
        return "true" if node.value else "false"
    if isinstance(node, Reference):
        return f"{node.code}.{node.attribute}"
    if isinstance(node, Unary):
        separator = " " if node.operator == "not" else ""
        return f"({node.operator}{separator}{to_source(node.operand)})"
    if isinstance(node, Call):
        return f"{node.name}({', '.join(to_source(argument) for argument in node.arguments)})"
    return f"({to_source(node.left)} {node.operator} {to_source(node.right)})"


def rename_reference(source: str, old_code: str, new_code: str) -> str:
    """The formula with every reference to `old_code` pointing at `new_code` (token-aware: G2.1 does
    not touch G2.10). Raises ExpressionError if the formula does not tokenize."""
    return rename_references(source, {old_code: new_code})


def rename_references(source: str, renames: dict[str, str]) -> str:
    """The formula with each referenced code of `renames` replaced by its new code, all at once (so
    A→B with B→A swaps them). Raises ExpressionError if the formula does not tokenize."""
    pieces, position = [], 0
    for token in tokenize(source):
        if token.kind != "name":
            continue
        code, _, attribute = token.text.rpartition(".")
        if not (attribute in ATTRIBUTES and code):
            code = token.text
        if code in renames:
            pieces += [source[position : token.position], renames[code]]
            position = token.position + len(code)
    return "".join(pieces) + source[position:]


def check(source: str, *, known_codes: set[str]) -> Node:
    """Parse and make sure every referenced code exists; the Chinese message names the missing ones."""
    node = parse(source)
    missing = sorted(references(node) - known_codes)
    if missing:
        raise ExpressionError(f"公式引用了不存在的指标编码：{'、'.join(missing)}")
    return node
