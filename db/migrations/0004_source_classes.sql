CREATE TABLE `intake_source_class` (
	`source` varchar(100) NOT NULL,
	`cohort_id` bigint NOT NULL,
	`import_id` bigint unsigned NOT NULL,
	CONSTRAINT `intake_source_class_source_cohort_id_pk` PRIMARY KEY(`source`,`cohort_id`)
);
