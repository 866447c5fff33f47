package io.github.etcdgrpclb.spring.cloud;

import io.github.etcdgrpclb.discovery.ServiceCatalog;

/**
 * The watch of the HTTP registrations' prefix, as a bean of its own type: the {@link ServiceCatalog}
 * bean stays the one of the gRPC registry, which users and the actuator inject by type.
 *
 * @param catalog the watched HTTP registrations
 */
public record HttpServiceCatalog(ServiceCatalog catalog) implements AutoCloseable {

	@Override
	public void close() {
		this.catalog.close();
	}

}
