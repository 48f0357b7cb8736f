-- ./soi query: the user's statement cannot undo the settings above.
SET lock_configuration = true
