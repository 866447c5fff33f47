package io.github.etcdgrpclb.console;

import java.util.Collection;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may do what: everyone who reaches the console reads it, unless a VIEWER is configured (then
 * reading needs signing in); only an ADMIN user ({@code console.users.*}), or a bearer token with
 * {@code console.admin-scope} when a JWT issuer is configured, may write. Form and HTTP basic login,
 * CSRF on for everything a browser sends (a bearer token is not sent by a browser on its own).
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurityConfiguration {

	static final String ADMIN = "ROLE_ADMIN";

	@Bean
	SecurityFilterChain consoleSecurity(HttpSecurity http, ConsoleProperties console,
			ObjectProvider<JwtDecoder> jwtDecoder) throws Exception {
		boolean viewersSignIn = console.getUsers()
			.values()
			.stream()
			.anyMatch((user) -> user.getRole() == ConsoleProperties.Role.VIEWER);
		http.authorizeHttpRequests((requests) -> {
			requests.requestMatchers(HttpMethod.POST, "/actions/**")
				.hasAnyAuthority(ADMIN, adminScope(console))
				.requestMatchers("/login", "/error")
				.permitAll();
			if (viewersSignIn) {
				requests.anyRequest().authenticated();
			}
			else {
				requests.anyRequest().permitAll();
			}
		});
		http.formLogin(Customizer.withDefaults());
		http.httpBasic(Customizer.withDefaults());
		if (jwtDecoder.getIfAvailable() != null) {
			http.oauth2ResourceServer((resourceServer) -> resourceServer.jwt(Customizer.withDefaults()));
		}
		http.csrf((csrf) -> csrf.ignoringRequestMatchers((request) -> {
			String authorization = request.getHeader("Authorization");
			return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
		}));
		return http.build();
	}

	@Bean
	UserDetailsService consoleUsers(ConsoleProperties console) {
		InMemoryUserDetailsManager users = new InMemoryUserDetailsManager();
		console.getUsers().forEach((name, user) -> {
			if (user.getPassword() == null || user.getPassword().isBlank()) {
				throw new IllegalStateException("console.users." + name + ".password is not set: give each user of the "
						+ "console a password (plain, or encoded as {bcrypt}...)");
			}
			String password = user.getPassword().startsWith("{") ? user.getPassword() : "{noop}" + user.getPassword();
			UserDetails details = User.withUsername(name).password(password).roles(user.getRole().name()).build();
			users.createUser(details);
		});
		return users;
	}

	/** @return whether the signed-in user (or token) may write */
	static boolean isAdmin(Authentication authentication, ConsoleProperties console) {
		if (authentication == null || !authentication.isAuthenticated()) {
			return false;
		}
		Collection<? extends GrantedAuthority> authorities = authentication.getAuthorities();
		return authorities.stream()
			.map(GrantedAuthority::getAuthority)
			.anyMatch((authority) -> authority.equals(ADMIN) || authority.equals(adminScope(console)));
	}

	private static String adminScope(ConsoleProperties console) {
		return "SCOPE_" + console.getAdminScope();
	}

}
