package io.github.etcdgrpclb.console;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An admin's changes to one instance (the forms of the services section, or a script with a bearer
 * token): {@code action=weight} with {@code weight}, {@code drain}, or {@code reset}; {@code pinned=true}
 * makes the change outlive restarts of the instance. Answers with a redirect to the page, whose live
 * stream shows the change once the instance published it.
 */
@RestController
class ActionController {

	private final OperatorActions actions;

	ActionController(OperatorActions actions) {
		this.actions = actions;
	}

	@PostMapping("/actions/override")
	ResponseEntity<Void> override(Authentication user, @RequestParam String service, @RequestParam String address,
			@RequestParam String action, @RequestParam(required = false) Integer weight,
			@RequestParam(defaultValue = "false") boolean pinned) {
		String who = user.getName();
		switch (action) {
			case "weight" -> {
				if (weight == null) {
					throw new IllegalArgumentException("Give the weight to set");
				}
				this.actions.setWeight(who, service, address, weight, pinned);
			}
			case "drain" -> this.actions.drain(who, service, address, pinned);
			case "reset" -> this.actions.reset(who, service, address);
			default -> throw new IllegalArgumentException("Unknown action '" + action + "': use weight, drain or reset");
		}
		return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create("/")).build();
	}

	@ExceptionHandler(IllegalArgumentException.class)
	ResponseEntity<String> refused(IllegalArgumentException ex) {
		return ResponseEntity.badRequest().contentType(MediaType.TEXT_PLAIN).body(ex.getMessage() + "\n");
	}

	@ExceptionHandler(IllegalStateException.class)
	ResponseEntity<String> etcdFailed(IllegalStateException ex) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.TEXT_PLAIN)
			.body(ex.getMessage() + "\n");
	}

}
