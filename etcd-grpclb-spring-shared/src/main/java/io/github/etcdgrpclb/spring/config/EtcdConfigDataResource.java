package io.github.etcdgrpclb.spring.config;

import java.util.List;
import java.util.Objects;

import io.github.etcdgrpclb.spring.etcd.EtcdProperties;

import org.springframework.boot.context.config.ConfigDataResource;

/**
 * The folders one {@code etcd:} import reads, with the connection settings to read them with (the
 * loader has no access to the Environment).
 */
final class EtcdConfigDataResource extends ConfigDataResource {

	private final String location;

	private final boolean optional;

	private final List<String> folders;

	private final EtcdProperties etcd;

	private final EtcdConfigProperties settings;

	EtcdConfigDataResource(String location, boolean optional, List<String> folders, EtcdProperties etcd,
			EtcdConfigProperties settings) {
		super(optional);
		this.location = location;
		this.optional = optional;
		this.folders = List.copyOf(folders);
		this.etcd = etcd;
		this.settings = settings;
	}

	/** @return the import as the user wrote it, for messages */
	String location() {
		return this.location;
	}

	boolean optional() {
		return this.optional;
	}

	/** @return the folders, lowest precedence first */
	List<String> folders() {
		return this.folders;
	}

	EtcdProperties etcd() {
		return this.etcd;
	}

	EtcdConfigProperties settings() {
		return this.settings;
	}

	@Override
	public boolean equals(Object other) {
		return this == other || other instanceof EtcdConfigDataResource that && this.folders.equals(that.folders)
				&& this.optional == that.optional;
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.folders, this.optional);
	}

	@Override
	public String toString() {
		return "etcd folders " + this.folders;
	}

}
