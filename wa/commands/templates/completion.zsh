
_wa_zsh() {
    _wa_action $((CURRENT - 1)) "${words[@]}"
    case "$_wa_act" in
        words) compadd -- ${=_wa_words} ;;
        files) _files ;;
        dirs) _files -/ ;;
        agenda) compadd -- ${=_wa_words}; _files -g '*.(yaml|yml)' ;;
    esac
}
if ! (( $+functions[compdef] )); then
    autoload -U compinit && compinit
fi
compdef _wa_zsh wa
