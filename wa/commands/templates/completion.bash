
_wa() {
    local cur="${COMP_WORDS[COMP_CWORD]}"
    _wa_action "$COMP_CWORD" "${COMP_WORDS[@]}"
    COMPREPLY=()
    case "$_wa_act" in
        words) COMPREPLY=($(compgen -W "$_wa_words" -- "$cur")) ;;
        files) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
        dirs) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")) ;;
        agenda)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -W "$_wa_words" -- "$cur") $(compgen -d -- "$cur")
                       $(compgen -f -X '!*.yaml' -- "$cur") $(compgen -f -X '!*.yml' -- "$cur")) ;;
    esac
}
complete -F _wa wa
