# bash completion for mlint
_mlint() {
  local cur prev cmd
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  cmd=${COMP_WORDS[1]:-}
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "check heads graph rules install-hook help --help --version" -- "$cur"))
    return
  fi
  case $prev in
    --format|-f)
      case $cmd in
        graph) COMPREPLY=($(compgen -W "text json dot mermaid" -- "$cur")) ;;
        *) COMPREPLY=($(compgen -W "$(mlint "$cmd" --help 2>/dev/null | sed -n 's/.*--format FORMAT *\(.*\)/\1/p' | grep -o '[a-z]\+' | grep -v -e default -e or)" -- "$cur")) ;;
      esac
      return ;;
    --fail-on) COMPREPLY=($(compgen -W "error warning info" -- "$cur")); return ;;
    --config|-c) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --name|-n) COMPREPLY=($(compgen -W "$(awk '/^\[/ { s = substr($0, 2, index($0, "]") - 2) } /^script_location *[=:]/ { print s }' alembic.ini migrations/alembic.ini 2>/dev/null)" -- "$cur")); return ;;
    --base|--applied|--head) COMPREPLY=($(compgen -W "$(git for-each-ref --format='%(refname:short)' 2>/dev/null)" -- "$cur")); return ;;
  esac
  case $cmd in
    rules|help)
      if [ "$cmd" = rules ]; then
        COMPREPLY=($(compgen -W "$(mlint rules 2>/dev/null | awk '{print $1}')" -- "$cur"))
      else
        COMPREPLY=($(compgen -W "check heads graph rules install-hook" -- "$cur"))
      fi
      return ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(mlint "$cmd" --help 2>/dev/null | grep -o -- '--[a-z-]\+' | sort -u)" -- "$cur"))
  else
    COMPREPLY=($(compgen -d -- "$cur"))
  fi
}
complete -F _mlint mlint
