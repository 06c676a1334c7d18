resource "a" "b" { x = 1 }
lifecycle { ignore_changes = [tags] }
empty "x" {}
empty_spaced { }
