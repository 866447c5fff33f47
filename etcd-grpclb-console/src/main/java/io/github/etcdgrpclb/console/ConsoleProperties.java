package io.github.etcdgrpclb.console;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The console's own settings ({@code console.*}); etcd itself is reached with the starter's
 * {@code etcd.*} properties, and the registry, election and lock prefixes are the applications'.
 */
@ConfigurationProperties("console")
public class ConsoleProperties {

	/**
	 * Key prefix of the configuration centre: the root the applications import with
	 * spring.config.import=etcd:<prefix>; each folder below it is shown with its keys.
	 */
	private String configPrefix = "/config";

	/**
	 * Who may sign in, by user name. Without an ADMIN the console is read-only: nothing on it writes.
	 * Without a VIEWER anyone who reaches it reads it without signing in.
	 */
	private Map<String, User> users = new LinkedHashMap<>();

	/**
	 * Scope of a bearer token (spring.security.oauth2.resourceserver.jwt.*) that may write, as an
	 * ADMIN may.
	 */
	private String adminScope = "console.admin";

	public String getConfigPrefix() {
		return this.configPrefix;
	}

	public void setConfigPrefix(String configPrefix) {
		this.configPrefix = configPrefix;
	}

	public Map<String, User> getUsers() {
		return this.users;
	}

	public void setUsers(Map<String, User> users) {
		this.users = users;
	}

	public String getAdminScope() {
		return this.adminScope;
	}

	public void setAdminScope(String adminScope) {
		this.adminScope = adminScope;
	}

	/** One user of the console. */
	public static class User {

		/**
		 * Password: plain, or encoded with its id as Spring Security writes it
		 * ({@code {bcrypt}$2a$10$...}).
		 */
		private String password;

		/** VIEWER reads; ADMIN also changes weights and drains instances. */
		private Role role = Role.VIEWER;

		public String getPassword() {
			return this.password;
		}

		public void setPassword(String password) {
			this.password = password;
		}

		public Role getRole() {
			return this.role;
		}

		public void setRole(Role role) {
			this.role = role;
		}

	}

	/** What a user may do. */
	public enum Role {

		/** Reads the console. */
		VIEWER,

		/** Reads it and changes instances' weights and drains them (each change logged and kept in etcd). */
		ADMIN

	}

}
