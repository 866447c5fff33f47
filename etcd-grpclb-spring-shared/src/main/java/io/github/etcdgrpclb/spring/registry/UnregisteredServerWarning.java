package io.github.etcdgrpclb.spring.registry;

import java.util.List;
import java.util.Map;

import io.github.etcdgrpclb.registry.ServerRegistry;
import io.grpc.BindableService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Says at startup when the application has gRPC services of its own (not the framework's
 * {@code grpc.*} health or reflection services) but no server of them was registered in etcd: its gRPC server is not one this starter line knows (a Spring Boot 4.1 server with the 3.5
 * starter, or the other way round), or it has no network port. Clients would never find it, and
 * nothing else would say so.
 */
class UnregisteredServerWarning implements ApplicationListener<ApplicationReadyEvent> {

	private static final Logger logger = LoggerFactory.getLogger(UnregisteredServerWarning.class);

	private final ListableBeanFactory beans;

	private final ObjectProvider<ServerRegistry> registrations;

	UnregisteredServerWarning(ListableBeanFactory beans, ObjectProvider<ServerRegistry> registrations) {
		this.beans = beans;
		this.registrations = registrations;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		ServerRegistry registered = this.registrations.getIfAvailable();
		if (registered != null && !registered.statuses().isEmpty()) {
			return;
		}
		List<String> services = applicationServices();
		if (services.isEmpty()) {
			return;
		}
		logger.warn("This application has gRPC services {} but registered no gRPC server in etcd: no server "
				+ "that this starter knows reported a network port. Spring Boot 3.5 + net.devh needs "
				+ "etcd-grpclb-spring-boot-starter, Spring Boot 4.1 + spring-boot-starter-grpc-server needs "
				+ "etcd-grpclb-spring-boot4-starter. Set etcd.registry.enabled=false if this application is "
				+ "not meant to be discoverable.", services);
	}

	/** Bean names of the gRPC services that are the application's own (not health, reflection...). */
	private List<String> applicationServices() {
		return this.beans.getBeansOfType(BindableService.class, false, false)
			.entrySet()
			.stream()
			.filter((bean) -> !FrameworkServices.isFramework(bean.getValue().bindService().getServiceDescriptor().getName()))
			.map(Map.Entry::getKey)
			.sorted()
			.toList();
	}

}
