"""Unit tests of the parameter system (CONTRACT.md "Plugins": Parameter(name, kind, default,
mandatory, allowed_values, constraint, aliases, description); values converted and validated
before the run starts; parameters inherited and overridden down a class hierarchy)."""
import pytest

from wa import (ConfigError, Instrument, Parameter, ParameterError, Plugin, ResultProcessor,
                Workload, types)


class Base(Workload):
    name = 'base_wl'
    parameters = [
        Parameter('count', kind=int, default=3, description='How many.'),
        Parameter('ratio', kind=float, default=0.5),
        Parameter('enabled', kind=bool, default=False),
        Parameter('names', kind=list, default=['a']),
        Parameter('mode', kind=str, default='fast', allowed_values=['fast', 'slow'],
                  aliases=['speed']),
        Parameter('level', kind=int, default=1, constraint=lambda v: 0 <= v <= 10),
        Parameter('options', kind=dict, default={}),
    ]


class Child(Base):
    name = 'child_wl'
    parameters = [
        Parameter('count', kind=int, default=7, override=True),  # overrides the default
        Parameter('extra', kind=str, mandatory=True),       # adds a mandatory one
    ]


class GrandChild(Child):
    name = 'grandchild_wl'
    parameters = [
        Parameter('mode', kind=str, default='slow', allowed_values=['slow', 'turbo'],
                  override=True),
    ]


def names(cls):
    return [p.name for p in cls.parameters]


# -- conversion ------------------------------------------------------------------------------
@pytest.mark.parametrize('key,raw,expected', [
    ('count', '5', 5),
    ('count', 5, 5),
    ('count', 5.0, 5),
    ('ratio', '0.25', 0.25),
    ('ratio', 2, 2.0),
    ('enabled', 'yes', True),
    ('enabled', 'false', False),
    ('enabled', 'off', False),
    ('enabled', 1, True),
    ('enabled', True, True),
    ('names', 'x,y', ['x', 'y']),
    ('names', ['x', 'y'], ['x', 'y']),
    ('names', 'x', ['x']),
    ('options', {'a': 1}, {'a': 1}),
])
def test_kind_conversion(key, raw, expected):
    workload = Base(**{key: raw})
    value = getattr(workload, key)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize('key,raw', [
    ('count', 'abc'),
    ('count', '1.5'),
    ('count', 1.5),
    ('ratio', 'fast'),
    ('enabled', 'maybe'),
    ('options', 'not a dict'),
])
def test_bad_values_are_config_errors(key, raw):
    with pytest.raises(ConfigError) as info:
        Base(**{key: raw})
    assert key in str(info.value)


def test_parameter_error_is_a_config_error():
    assert issubclass(ParameterError, ConfigError)


def test_convert_directly():
    param = Parameter('n', kind=int, default=2)
    assert param.convert('3') == 3
    with pytest.raises(ConfigError):
        param.convert('three')


def test_custom_kind_callable():
    workload = type('W', (Workload,), {
        'name': 'custom_kind_wl',
        'parameters': [Parameter('cpus', kind=types.list_of_ints, default=[])]})(cpus='0,2')
    assert workload.cpus == [0, 2]


# -- defaults, mandatory ----------------------------------------------------------------------
def test_defaults_applied():
    workload = Base()
    assert (workload.count, workload.ratio, workload.enabled, workload.names, workload.mode,
            workload.level) == (3, 0.5, False, ['a'], 'fast', 1)


def test_no_default_is_none():
    cls = type('W', (Workload,), {'name': 'nodefault_wl',
                                  'parameters': [Parameter('thing', kind=str)]})
    assert cls().thing is None


def test_mandatory_missing_is_error():
    with pytest.raises(ConfigError) as info:
        Child()
    assert 'extra' in str(info.value)


def test_mandatory_given():
    assert Child(extra='x').extra == 'x'


# -- allowed values, constraint ---------------------------------------------------------------
def test_allowed_values():
    assert Base(mode='slow').mode == 'slow'
    with pytest.raises(ConfigError) as info:
        Base(mode='medium')
    assert 'medium' in str(info.value)


def test_allowed_values_for_each_list_item():
    cls = type('W', (Workload,), {'name': 'allowed_list_wl', 'parameters': [
        Parameter('stages', kind=list, default=[], allowed_values=['a', 'b'])]})
    assert cls(stages=['a', 'b']).stages == ['a', 'b']
    with pytest.raises(ConfigError):
        cls(stages=['a', 'c'])


def test_constraint():
    assert Base(level=10).level == 10
    with pytest.raises(ConfigError) as info:
        Base(level=11)
    assert 'level' in str(info.value)


# -- aliases, unknown names -------------------------------------------------------------------
def test_alias_sets_parameter():
    assert Base(speed='slow').mode == 'slow'


def test_alias_and_name_together_is_error():
    with pytest.raises(ConfigError):
        Base(speed='slow', mode='fast')


def test_dash_equals_underscore():
    cls = type('W', (Workload,), {'name': 'dash_wl',
                                  'parameters': [Parameter('buffer_size', kind=int, default=1)]})
    assert cls(**{'buffer-size': 4}).buffer_size == 4


def test_unknown_parameter_suggests_closest():
    with pytest.raises(ConfigError) as info:
        Base(cuont=3)
    message = str(info.value)
    assert 'cuont' in message and 'count' in message


# -- inheritance --------------------------------------------------------------------------------
def test_parameters_inherited():
    assert set(names(Child)) == set(names(Base)) | {'extra'}
    assert len(names(Child)) == len(set(names(Child)))


def test_override_replaces_by_name():
    assert Child(extra='e').count == 7
    assert Base().count == 3            # the parent is untouched
    assert [p for p in Child.parameters if p.name == 'count'][0].default == 7


def test_grandchild_inherits_and_overrides():
    assert set(names(GrandChild)) == set(names(Child))
    grandchild = GrandChild(extra='e')
    assert (grandchild.count, grandchild.mode) == (7, 'slow')
    assert GrandChild(extra='e', mode='turbo').mode == 'turbo'
    with pytest.raises(ConfigError):
        GrandChild(extra='e', mode='fast')   # the override's allowed values apply
    assert Base(mode='fast').mode == 'fast'


def test_redeclaring_without_override_is_an_error_at_class_definition():
    with pytest.raises(TypeError, match='"count" is already declared.*override=True'):
        class Bad(Base):  # pylint: disable=unused-variable
            name = 'bad_wl'
            parameters = [Parameter('count', kind=int, default=9)]


def test_override_without_a_base_parameter_is_an_error():
    with pytest.raises(TypeError, match='"nothing" has override=True but no base'):
        class Bad(Base):  # pylint: disable=unused-variable
            name = 'bad_wl'
            parameters = [Parameter('nothing', default=1, override=True)]


def test_override_keeps_what_it_does_not_change():
    class Mandatory(Workload):
        name = 'mandatory_wl'
        parameters = [Parameter('size', kind=int, mandatory=True, aliases=['sz'],
                                constraint=lambda v: v > 0, description='bytes')]

    class NewDefault(Mandatory):
        name = 'newdefault_wl'
        parameters = [Parameter('size', description='bytes to copy', override=True)]

    size = NewDefault.get_parameter('size')
    assert (size.mandatory, size.kind, size.aliases) == (True, int, ['sz'])
    assert size.description == 'bytes to copy'
    with pytest.raises(ConfigError, match='Mandatory parameter "size"'):
        NewDefault()
    with pytest.raises(ConfigError):
        NewDefault(sz=0)                      # the inherited constraint still applies
    assert NewDefault(sz='4').size == 4
    assert Mandatory.get_parameter('size').description == 'bytes'


def test_sibling_classes_do_not_share_parameters():
    class A(Instrument):
        name = 'a_inst'
        parameters = [Parameter('x', kind=int, default=1)]

    class B(Instrument):
        name = 'b_inst'
        parameters = [Parameter('y', kind=int, default=2)]

    base = names(Instrument)
    assert names(A) == base + ['x'] and names(B) == base + ['y']
    assert 'x' not in names(ResultProcessor) and 'y' not in names(Plugin)


def test_instances_get_their_own_values():
    assert Base(count=1).count == 1 and Base(count=2).count == 2


def test_mutable_default_not_shared():
    first, second = Base(), Base()
    first.names.append('changed')
    assert second.names == ['a']
    assert Base.get_parameter('names').default == ['a']
