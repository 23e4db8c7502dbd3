# Completion for wa (Workload Automation) in @SHELL@, written by "wa completion @SHELL@".
# Commands and options are listed below; plugin names are asked from "wa completion --names"
# the first time they are needed and kept for the rest of the shell session.

_wa_commands='@COMMANDS@'
_wa_valued=' @VALUED@ '

_wa_options() {  # $1: command
    case "$1" in
@OPTIONS@
    esac
}

_wa_names() {  # plugin kinds -> _wa_words: their names
    if [ -z "${_wa_names_cache-}" ]; then
        _wa_names_cache="$(command wa completion --names 2>/dev/null)"
    fi
    _wa_words="$(printf '%s\n' "$_wa_names_cache" | awk -v kinds=" $* " \
        'index(kinds, " " $1 " ") { print $2 }')"
}

# $1: index of the word being completed; then every word of the command line.
# Sets _wa_act (words, files, dirs, agenda or none) and _wa_words.
_wa_action() {
    local cword="$1" cmd="" prev="" first="" cur="" npos=0 i=0 word skip=""
    shift
    _wa_act=none
    _wa_words=''
    for word in "$@"; do
        if [ "$i" -ge 1 ] && [ "$i" -lt "$cword" ]; then
            if [ -n "$skip" ]; then
                skip=""
            elif [ -z "$cmd" ]; then
                case "$word" in -*) ;; *) cmd="$word" ;; esac
            else
                case "$_wa_valued" in *" $word "*) skip=1 ;; esac
                case "$word" in
                    -*) ;;
                    *) npos=$((npos + 1)); [ "$npos" -eq 1 ] && first="$word" ;;
                esac
            fi
            prev="$word"
        fi
        [ "$i" -eq "$cword" ] && cur="$word"
        i=$((i + 1))
    done
    if [ -z "$cmd" ]; then
        _wa_act=words
        _wa_words="$_wa_commands --version --help"
        return
    fi
    if [ -n "$skip" ]; then
        case "$cmd $prev" in
            *" --disable") _wa_act=words; _wa_names instrument result_processor ;;
            "process -p"|"process --processor") _wa_act=words; _wa_names result_processor ;;
            *" -c"|*" --config"|*" -o"|*" --output") _wa_act=files ;;
            *" -i"|*" --id") _wa_act=none ;;
            *) _wa_act=dirs ;;
        esac
        return
    fi
    case "$cur" in
        -*) _wa_act=words; _wa_words="$(_wa_options "$cmd")"; return ;;
    esac
    npos=$((npos + 1))
    case "$cmd" in
        run) [ "$npos" -eq 1 ] && { _wa_act=agenda; _wa_names workload; } ;;
        show) _wa_act=words; _wa_names workload instrument result_processor target command ;;
        list) [ "$npos" -eq 1 ] && { _wa_act=words
              _wa_words='workloads instruments result_processors commands targets'; } ;;
        create)
            if [ "$npos" -eq 1 ]; then
                _wa_act=words; _wa_words='workload instrument result_processor agenda'
            elif [ "$first" = agenda ]; then
                _wa_act=words; _wa_names workload
            fi ;;
        completion) [ "$npos" -eq 1 ] && { _wa_act=words; _wa_words='bash zsh'; } ;;
        process|report|compare) _wa_act=dirs ;;
        *) _wa_act=files ;;
    esac
}
