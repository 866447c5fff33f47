package io.github.etcdgrpclb.console;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The fleet console: {@code java -jar etcd-grpclb-console-<version>.jar --etcd.endpoints=...}, then
 * open the printed URL. It reads etcd only (the starter's {@code etcd.*} properties say how to reach
 * it) and writes nothing.
 */
@SpringBootApplication
public class ConsoleApplication {

	public static void main(String[] args) {
		SpringApplication.run(ConsoleApplication.class, args);
	}

}
